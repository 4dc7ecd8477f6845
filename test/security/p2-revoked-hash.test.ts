/**
 * Adversarial review (secreview3): the WASI 0.2 host answers `metadata-hash(-at)` from the stat
 * made just before it (filesystem.ts `remember`/`remembered`: the preview1 adapter asks for the
 * hash right after every stat, for st_ino), current while no preview1 call was made in between
 * (`Scratch.calls`). A revocation is not a preview1 call: a guest that stats a file, then waits
 * (reading stdin goes to the ring, not through Scratch) until its grant is revoked, is still
 * answered — the file's device and inode (which `stat` does not give) from a folder it may no
 * longer reach. Every other call after the revocation is `access` (p2-held.test.ts).
 *
 * Was a hole (secreview3 hole 3; fixed in p2fix: an answer from the remembered stat first makes
 * `fd_fdstat_get`, the table's liveness check, as `get-type` now does each time): after the
 * revocation both hashes must be `access`, as the stats are.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { stopTranspiler } from '../../main/wasm/transpile.ts';
import { realTempDir, removeTempDirs } from '../helpers/temp.ts';
import { heldRun } from './p2-guest.ts';

afterEach(removeTempDirs);
afterAll(stopTranspiler);

it('a hash asked after the grant was revoked is refused, not answered from the stat made before', async () => {
  const grant = realTempDir('secreview3-hash');
  fs.writeFileSync(path.join(grant, 'f.txt'), 'abcdef');
  const { handle, next, op } = heldRun([{ hostPath: grant, guestPath: '/g', readOnly: false }], 'f.txt', 'r');
  expect([await next(), await next()]).toEqual(['open f.txt: ok', 'read-via-stream: ok']);
  // Control: before the revocation all four answer.
  expect([await op('sa'), await op('ha'), await op('fs'), await op('h')]).toEqual(['sa ok', 'ha ok', 'fs ok', 'h ok']);
  expect(await op('sa')).toBe('sa ok');
  handle.revoke(0);
  expect(await op('ha')).toBe('ha access');
  expect(await op('fs')).toBe('fs access');
  expect(await op('sa')).toBe('sa access');
  handle.endStdin();
  expect(await next()).toBe('done');
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
});

it('the same for a descriptor\'s own stat and hash', async () => {
  const grant = realTempDir('secreview3-hash');
  fs.writeFileSync(path.join(grant, 'f.txt'), 'abcdef');
  const { handle, next, op } = heldRun([{ hostPath: grant, guestPath: '/g', readOnly: false }], 'f.txt', 'r');
  expect([await next(), await next()]).toEqual(['open f.txt: ok', 'read-via-stream: ok']);
  expect(await op('fs')).toBe('fs ok');
  handle.revoke(0);
  expect(await op('h')).toBe('h access');
  expect(await op('fs')).toBe('fs access');
  handle.endStdin();
  expect(await next()).toBe('done');
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
});
