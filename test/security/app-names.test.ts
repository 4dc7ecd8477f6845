/**
 * Was a hole (secreview2 hole 2, docs/design/secreview2.md; fixed in app-name.ts, apps.ts and
 * migration 0010, "Fixed" there): app names were compared byte for byte, folded only for ASCII
 * letters (SQLite's NOCASE in `apps_name` and findAppByName), and never normalised. A hostile
 * source could therefore install an app whose name is drawn exactly like an installed one's
 * (`café` spelt with U+0301, a combining accent, beside the person's `café` spelt with U+00E9), or
 * differs from it only in the case of a non-ASCII letter (`ÉCOLE` beside `école`), although README
 * says "a name already used by an app from elsewhere is refused" and that APP is a name
 * "case-insensitive". Two catalog tiles, two `terrarium list` rows that look the same: the person
 * granted a folder to, ran, or added as a command the wrong one. Same class: a name taken from a
 * URL or file name (appNameFrom) and one typed with --name (checkAppName). Now names are stored in
 * NFC and compared on `nameKey` (NFKC, case folded), unique in the database.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, expectLibraryError, fixture, freshLibrary, librarySnapshot, startServer, type TestServer } from '../helpers/library.ts';
import fs from 'node:fs';

afterEach(cleanup);

const stdio = fs.readFileSync(fixture('stdio'));

describe('a name that looks like an installed app\'s', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('the same name in another Unicode normal form (a URL\'s file name) is refused as a duplicate', async () => {
    const { lib } = freshLibrary();
    const mine = await lib.install({ kind: 'file', path: fixture('stdio') }, { name: 'caf\u00e9' });
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/wasm' });
      res.end(stdio);
    });
    const before = librarySnapshot(lib);
    // caf + e + COMBINING ACUTE ACCENT: drawn exactly as "café".
    await expectLibraryError(lib.install({ kind: 'url', url: `${server.url}/cafe%CC%81.wasm` }), 'duplicate-name', /already installed/);
    expect(librarySnapshot(lib)).toBe(before);
    expect(lib.list().map((a) => a.id)).toEqual([mine.app.id]);
  });

  test('the same name typed with --name in another normal form is refused as a duplicate', async () => {
    const { lib } = freshLibrary();
    await lib.install({ kind: 'file', path: fixture('stdio') }, { name: 'Ångström' });
    const before = librarySnapshot(lib);
    // A + COMBINING RING ABOVE, o + COMBINING DIAERESIS.
    await expectLibraryError(lib.install({ kind: 'file', path: fixture('args_env') }, { name: 'A\u030Angstro\u0308m' }), 'duplicate-name', /already installed/);
    expect(librarySnapshot(lib)).toBe(before);
  });

  test('a name that differs only in the case of a non-ASCII letter is refused, as an ASCII one is', async () => {
    const { lib } = freshLibrary();
    await lib.install({ kind: 'file', path: fixture('stdio') }, { name: 'école' });
    // The ASCII case holds (control): "Paint" beside "paint" is refused.
    await lib.install({ kind: 'file', path: fixture('stdio') }, { name: 'paint' });
    await expectLibraryError(lib.install({ kind: 'file', path: fixture('args_env') }, { name: 'PAINT' }), 'duplicate-name', /already installed/);
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'file', path: fixture('args_env') }, { name: 'ÉCOLE' }), 'duplicate-name', /already installed/);
    expect(librarySnapshot(lib)).toBe(before);
  });
});

describe('names are one spelling, compared on one key', () => {
  test('a name is stored in NFC, and a ref in either normal form or any case finds the app', async () => {
    const { lib } = freshLibrary();
    const { app } = await lib.install({ kind: 'file', path: fixture('stdio') }, { name: 'cafe\u0301' });
    expect(app.name).toBe('caf\u00e9');
    for (const ref of ['caf\u00e9', 'cafe\u0301', 'CAF\u00c9', 'CAFE\u0301']) expect(lib.app(ref).id, ref).toBe(app.id);
  });

  test('compatibility forms and full case folding are the same name (fullwidth letters, ß and SS)', async () => {
    const { lib } = freshLibrary();
    await lib.install({ kind: 'file', path: fixture('stdio') }, { name: 'paint' });
    await lib.install({ kind: 'file', path: fixture('stdio') }, { name: 'Stra\u00dfe' });
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'file', path: fixture('args_env') }, { name: '\uff50\uff41\uff49\uff4e\uff54' }), 'duplicate-name', /already installed/);
    await expectLibraryError(lib.install({ kind: 'file', path: fixture('args_env') }, { name: 'STRASSE' }), 'duplicate-name', /already installed/);
    expect(librarySnapshot(lib)).toBe(before);
  });
});
