/**
 * Every bad input of issue 3 point 7 gets one clear error (a stable LibraryError code and a
 * message naming the problem) and leaves the library exactly as it was: every row of every
 * table and every file in the store, byte for byte, with no temp file left behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { InstallOptions, InstallSource, Library } from '../../main/library/library.ts';
import {
  BAD, buildModule, cleanup, closedPortUrl, expectLibraryError, fixture, freshLibrary, librarySnapshot, sha256,
  startServer, storeTemps, tempDir, type TestServer, writeFile,
} from '../helpers/library.ts';

const stdio = fs.readFileSync(fixture('stdio'));

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/stdio.wasm') {
      res.writeHead(200, { 'Content-Length': stdio.length });
      res.end(stdio);
    } else if (req.url === '/component.wasm') {
      res.end(Buffer.from(BAD.component));
    } else {
      res.writeHead(404);
      res.end('no such file');
    }
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(cleanup);

/** A library that already holds something: an app with grants, a finished run and an audit row. */
async function populated(): Promise<{ home: string; lib: Library }> {
  const { home, lib } = freshLibrary();
  const { app } = await lib.install({ kind: 'file', path: fixture('args_env') }, { name: 'existing' });
  const grants = lib.grant('existing', [
    { kind: 'env', name: 'HOME', forward: true },
    { kind: 'args', args: ['a', 'b'] },
  ]);
  const run = lib.runStarted(app, ['x'], grants.map((g) => g.id));
  lib.runEnded(run, 'exit', 3, 42);
  lib.db.prepare(`INSERT INTO audit (app_id, run_id, operation, path, decision, at) VALUES (?, ?, 'open', '/etc/passwd', 'denied', 1)`)
    .run(app.id, run);
  return { home, lib };
}

/** Writes a file into a fresh folder and returns a file source for it. */
const fileWith = (name: string, bytes: Uint8Array | string): InstallSource => ({ kind: 'file', path: writeFile(tempDir(), name, bytes) });

/** A package folder with the given wasmer.toml text and a good module. */
function packageWith(toml: string): InstallSource {
  const dir = tempDir('terrarium-pkg-');
  writeFile(dir, 'wasmer.toml', toml);
  writeFile(dir, 'app.wasm', stdio);
  return { kind: 'package', dir };
}

interface Case {
  name: string;
  code: string;
  message: RegExp;
  make: () => Promise<[InstallSource, InstallOptions?]> | [InstallSource, InstallOptions?];
}

const cases: Case[] = [
  { name: 'not wasm (a shell script)', code: 'not-wasm', message: /not a WebAssembly binary/, make: () => [fileWith('script.wasm', BAD.text)] },
  { name: 'not wasm (random bytes)', code: 'not-wasm', message: /not a WebAssembly binary/, make: () => [fileWith('noise.wasm', BAD.random)] },
  { name: 'truncated (half of a real module)', code: 'malformed', message: /malformed.*runs past end of module/, make: () => [fileWith('half.wasm', BAD.truncated())] },
  { name: 'truncated (the header only half there)', code: 'malformed', message: /truncated header/, make: () => [fileWith('hdr.wasm', Uint8Array.from([0, 0x61, 0x73, 0x6d, 1]))] },
  { name: 'empty file', code: 'empty', message: /empty/, make: () => [fileWith('empty.wasm', BAD.empty)] },
  { name: 'over the size cap (maxBytes)', code: 'too-large', message: /over the limit of 4096/, make: () => [{ kind: 'file', path: fixture('stdio') }, { maxBytes: 4096 }] },
  { name: 'over the size cap from a URL (maxBytes)', code: 'too-large', message: /over the limit of 4096/, make: () => [{ kind: 'url', url: `${server.url}/stdio.wasm` }, { maxBytes: 4096 }] },
  { name: 'a WASI 0.2 component', code: 'component', message: /^this WebAssembly component exports nothing to run/, make: () => [fileWith('comp.wasm', BAD.component)] },
  { name: 'a WASI 0.2 component from a URL', code: 'component', message: /component/, make: () => [{ kind: 'url', url: `${server.url}/component.wasm` }] },
  { name: 'a module without _start', code: 'not-command', message: /no "_start"/, make: () => [fileWith('lib.wasm', BAD.noStart)] },
  { name: 'a module importing from outside WASI preview1', code: 'unsupported-imports', message: /env\.do_thing/, make: () => [fileWith('env.wasm', buildModule({ imports: ['do_thing'], importModule: 'env' }))] },
  { name: 'an unreachable URL (closed port)', code: 'unreachable', message: /cannot reach 127\.0\.0\.1:\d+/, make: async () => [{ kind: 'url', url: await closedPortUrl() }] },
  { name: 'a 404 URL', code: 'http-status', message: /answered 404/, make: () => [{ kind: 'url', url: `${server.url}/gone.wasm` }] },
  { name: 'a hash mismatch (file)', code: 'sha256-mismatch', message: new RegExp(`not the expected ${'0'.repeat(64)}`), make: () => [{ kind: 'file', path: fixture('stdio') }, { sha256: '0'.repeat(64) }] },
  { name: 'a hash mismatch (URL)', code: 'sha256-mismatch', message: new RegExp(`the sha256 is ${sha256(stdio)}`), make: () => [{ kind: 'url', url: `${server.url}/stdio.wasm` }, { sha256: 'f'.repeat(64) }] },
  { name: 'a --sha256 that is not a sha256', code: 'bad-sha256', message: /not a sha256/, make: () => [{ kind: 'file', path: fixture('stdio') }, { sha256: 'abc123' }] },
  { name: 'a duplicate name (another file called existing.wasm)', code: 'duplicate-name', message: /"existing" is already installed/, make: () => [fileWith('existing.wasm', stdio)] },
  { name: 'a duplicate name (--name, any case)', code: 'duplicate-name', message: /"existing" is already installed/, make: () => [{ kind: 'file', path: fixture('stdio') }, { name: 'EXISTING' }] },
  { name: 'a name with control characters', code: 'bad-name', message: /cannot be an app name/, make: () => [{ kind: 'file', path: fixture('stdio') }, { name: 'evil\u001b[2Jname' }] },
  // chmod 000 does not stop root, and CI runs as root, so "unreadable" is exercised with paths no one can read as a file.
  { name: 'an unreadable file: a missing path (chmod 000 is no barrier to root in CI)', code: 'unreadable', message: /cannot read .*nope\.wasm: ENOENT/, make: () => [{ kind: 'file', path: path.join(tempDir(), 'nope.wasm') }] },
  { name: 'an unreadable file: a directory given as the file (chmod 000 is no barrier to root in CI)', code: 'unreadable', message: /is not a file/, make: () => [{ kind: 'file', path: tempDir() }] },
  { name: 'a package whose module file is missing', code: 'unreadable', message: /app\.wasm: ENOENT/, make: () => {
    const dir = tempDir('terrarium-pkg-');
    writeFile(dir, 'wasmer.toml', '[[module]]\nname = "app"\nsource = "app.wasm"\n');
    return [{ kind: 'package', dir }];
  } },
  { name: 'a wasmer.toml that does not parse', code: 'bad-manifest', message: /wasmer\.toml does not parse/, make: () => [packageWith('[package]\nname = "acme/app\nversion = 1.0\n')] },
  { name: 'a wasmer.toml with no [[module]]', code: 'bad-manifest', message: /no \[\[module\]\]/, make: () => [packageWith('[package]\nname = "acme/app"\n')] },
  { name: 'a package folder without wasmer.toml', code: 'bad-manifest', message: /no readable wasmer\.toml/, make: () => [{ kind: 'package', dir: tempDir('terrarium-pkg-') }] },
];

describe('bad input: one clear error, library unchanged', () => {
  test.each(cases)('$name → $code', async (c) => {
    const { home, lib } = await populated();
    const before = librarySnapshot(lib);
    const [source, opts] = await c.make();
    const err = await expectLibraryError(lib.install(source, opts), c.code, c.message);
    expect(err.message.length).toBeLessThan(400);
    expect(err.message).not.toMatch(/\n/);
    expect(librarySnapshot(lib)).toBe(before);
    expect(storeTemps(home)).toEqual([]);
    // The library still works: the existing app is intact and its module passes the hash check.
    expect(lib.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(lib.moduleBytes(lib.app('existing')).length).toBeGreaterThan(0);
  });

  test('the same bad inputs into an empty library leave it empty (no rows, no store files)', async () => {
    for (const c of cases.filter((x) => x.code !== 'duplicate-name')) {
      const { home, lib } = freshLibrary();
      const before = librarySnapshot(lib);
      const [source, opts] = await c.make();
      await expectLibraryError(lib.install(source, opts), c.code);
      expect(librarySnapshot(lib), c.name).toBe(before);
      expect(fs.readdirSync(path.join(home, 'store')), c.name).toEqual([]);
    }
  });
});

describe('the snapshot itself', () => {
  test('notices a new row, a changed value and a stray store file', async () => {
    const { home, lib } = await populated();
    const s0 = librarySnapshot(lib);
    lib.grant('existing', [{ kind: 'limit', name: 'timeout-seconds', value: 9 }]);
    const s1 = librarySnapshot(lib);
    expect(s1).not.toBe(s0);
    lib.db.prepare(`UPDATE runs SET bytes_out = bytes_out + 1`).run();
    const s2 = librarySnapshot(lib);
    expect(s2).not.toBe(s1);
    writeFile(path.join(home, 'store'), 'tmp-1-abc', 'x');
    expect(librarySnapshot(lib)).not.toBe(s2);
    expect(storeTemps(home)).toEqual(['tmp-1-abc']);
  });
});
