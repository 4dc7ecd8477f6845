/**
 * A stored module checked by its stat signature (issue 14.2, docs/design/runapp.md): once its bytes
 * were hashed and found right, and the file had been left alone for SETTLE_MS, a run reads it
 * without hashing it while size, device, inode, modification and change times are those recorded.
 * Every change made through the file system is still refused: in place with the size and times put
 * back, a replacement, a truncation, a removal. Real files, a real library; one wait of SETTLE_MS.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Library } from '../../main/library/library.ts';
import { moduleSignature } from '../../main/library/signatures.ts';
import { SETTLE_MS } from '../../main/library/store.ts';
import type { AppRecord } from '../../main/library/types.ts';
import { cleanup, expectLibraryError, fixture, freshLibrary } from '../helpers/library.ts';

const stdio = fs.readFileSync(fixture('stdio.wasm'));
/** Gives file `to` the access and modification times of `from`, to the nanosecond (`touch -r`). */
const putTimes = (from: string, to: string): void => void execFileSync('touch', ['-r', from, to]);
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, SETTLE_MS + 200));

/** Libraries with `stdio.wasm` installed, their stored files left alone for SETTLE_MS. */
let libs: { home: string; lib: Library; app: AppRecord; file: string }[];

beforeAll(async () => {
  libs = [];
  for (let i = 0; i < 5; i++) {
    const { home, lib } = freshLibrary();
    const { app } = await lib.install({ kind: 'file', path: fixture('stdio.wasm') });
    // A file just written is not trusted yet: its bytes are hashed, and no signature is recorded.
    expect(Buffer.from(lib.moduleBytes(app)).equals(stdio)).toBe(true);
    expect(moduleSignature(lib.db, app.sha256)).toBeUndefined();
    libs.push({ home, lib, app, file: lib.store.pathOf(app.sha256) });
  }
  await settle();
  // Hashed again, found right, and now settled: the signature is recorded.
  for (const { lib, app } of libs) {
    expect(Buffer.from(lib.moduleBytes(app)).equals(stdio)).toBe(true);
    expect(moduleSignature(lib.db, app.sha256)).toMatch(/^\d+(:\d+)+$/);
  }
}, 30_000);

describe('a module checked by its stat signature', () => {
  test('an unchanged module keeps its signature and reads back whole', () => {
    const { lib, app } = libs[0]!;
    const recorded = moduleSignature(lib.db, app.sha256);
    expect(Buffer.from(lib.moduleBytes(app)).equals(stdio)).toBe(true);
    expect(moduleSignature(lib.db, app.sha256)).toBe(recorded);
  });

  test('the window\'s read in the background takes the same signature', async () => {
    const { lib, app } = libs[0]!;
    const recorded = moduleSignature(lib.db, app.sha256);
    const r = await lib.moduleBytesInBackground(app);
    await expect(r.checked).resolves.toBeUndefined();
    expect(Buffer.from(r.bytes).equals(stdio)).toBe(true);
    expect(moduleSignature(lib.db, app.sha256)).toBe(recorded);
  });

  test('a byte changed in place, with the size and both times of the file put back, is refused', async () => {
    const { lib, app, file } = libs[1]!;
    const before = fs.statSync(file, { bigint: true });
    const ref = `${file}.times`;
    putTimes(file, ref);
    const fd = fs.openSync(file, 'r+');
    try {
      const last = stdio.length - 1;
      fs.writeSync(fd, Buffer.from([stdio[last]! ^ 0xff]), 0, 1, last);
    } finally {
      fs.closeSync(fd);
    }
    putTimes(ref, file);
    fs.rmSync(ref);
    const after = fs.statSync(file, { bigint: true });
    expect([after.mtimeNs, after.size, after.ino]).toEqual([before.mtimeNs, before.size, before.ino]);
    await expectLibraryError(() => lib.moduleBytes(app), 'module-changed', /changed on disk/);
    // Refused again, and in the background: a mismatch records nothing.
    await expectLibraryError(() => lib.moduleBytes(app), 'module-changed', /changed on disk/);
    await expectLibraryError((async () => (await lib.moduleBytesInBackground(app)).checked)(), 'module-changed', /changed on disk/);
  });

  test('a file of the same size renamed over it, with the old times, is refused', async () => {
    const { lib, app, file } = libs[2]!;
    const other = Buffer.from(stdio);
    other[100] = other[100]! ^ 0x01;
    const tmp = path.join(path.dirname(file), 'other');
    fs.writeFileSync(tmp, other);
    putTimes(file, tmp);
    fs.renameSync(tmp, file);
    await expectLibraryError((async () => (await lib.moduleBytesInBackground(app)).checked)(), 'module-changed', /changed on disk/);
    await expectLibraryError(() => lib.moduleBytes(app), 'module-changed', /changed on disk/);
  });

  test('a truncated or removed module is refused', async () => {
    const { lib, app, file } = libs[3]!;
    fs.truncateSync(file, 10);
    await expectLibraryError(() => lib.moduleBytes(app), 'module-changed');
    fs.rmSync(file);
    await expectLibraryError(() => lib.moduleBytes(app), 'module-changed');
  });

  test('the same bytes copied back (a restored backup) are hashed and, once settled, their new signature recorded (by the window\'s read too); the sweep forgets an uninstalled module\'s', async () => {
    const { lib, app, file } = libs[4]!;
    const recorded = moduleSignature(lib.db, app.sha256);
    const copy = `${file}.copy`;
    fs.copyFileSync(file, copy);
    fs.renameSync(copy, file);
    // Right bytes, another inode, changed just now: read (hashed), the old signature left in place.
    expect(Buffer.from(lib.moduleBytes(app)).equals(stdio)).toBe(true);
    expect(moduleSignature(lib.db, app.sha256)).toBe(recorded);
    await settle();
    // The window's read records it too, once its check has passed.
    const r = await lib.moduleBytesInBackground(app);
    await r.checked;
    expect(Buffer.from(r.bytes).equals(stdio)).toBe(true);
    const now = moduleSignature(lib.db, app.sha256);
    expect(now).toBeDefined();
    expect(now).not.toBe(recorded);
    lib.uninstall(app.id);
    expect(moduleSignature(lib.db, app.sha256)).toBeUndefined();
  }, 10_000);
});

afterAll(cleanup);
