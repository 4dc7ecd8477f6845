/**
 * Adversarial review (secreview3): one descriptor of the WASI 0.2 host and the streams made from
 * it, held by a hostile component (fixtures/p2_hostile.c `held`) while the test revokes the grant
 * or takes back the ask answer it was opened by — the 0.2 twin of held-io.test.ts. Every call
 * after a revocation fails (`access`, a stream's failure) and the file is unchanged; a read-only
 * grant, or a "read" answer, gives a descriptor that never writes, never changes times or size,
 * and is never asked about it (`bad-descriptor` before any stream exists, `read-only` after).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { stopTranspiler } from '../../main/wasm/transpile.ts';
import { realTempDir, removeTempDirs } from '../helpers/temp.ts';
import { heldRun } from './p2-guest.ts';

afterEach(removeTempDirs);
afterAll(stopTranspiler);

it('a held descriptor and its streams of a revoked grant: every call fails and nothing is written', async () => {
  const grant = realTempDir('secreview3-held');
  const f = path.join(grant, 'f.txt');
  fs.writeFileSync(f, 'abcdef');
  const { handle, next, op } = heldRun([{ hostPath: grant, guestPath: '/g', readOnly: false }], 'f.txt', 'rw');
  expect([await next(), await next(), await next()]).toEqual(['open f.txt: ok', 'read-via-stream: ok', 'write-via-stream: ok']);
  expect([await op('r'), await op('w'), await op('pr'), await op('pw'), await op('st')]).toEqual(['r ok 2', 'w ok', 'pr ok 2', 'pw ok 2', 'st ok']);
  const before = fs.readFileSync(f, 'utf8');
  const mtime = fs.statSync(f).mtimeMs;
  handle.revoke(0);
  expect([await op('r'), await op('w'), await op('pr'), await op('pw'), await op('st'), await op('sz')])
    .toEqual(['r failed', 'w failed', 'pr access', 'pw access', 'st access', 'sz access']);
  handle.endStdin();
  expect(await next()).toBe('done');
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  expect(fs.readFileSync(f, 'utf8')).toBe(before);
  expect(fs.statSync(f).mtimeMs).toBe(mtime);
});

it('a read-only grant: no write-open; its read descriptor never writes, re-dates or truncates', async () => {
  const grant = realTempDir('secreview3-held-ro');
  const f = path.join(grant, 'f.txt');
  fs.writeFileSync(f, 'abcdef');
  const mtime = fs.statSync(f).mtimeMs;
  const rw = heldRun([{ hostPath: grant, guestPath: '/g', readOnly: true }], 'f.txt', 'rw');
  expect(await rw.next()).toBe('open f.txt: read-only');
  expect(await rw.handle.done).toEqual({ kind: 'exit', code: 1 });
  const { handle, next, op } = heldRun([{ hostPath: grant, guestPath: '/g', readOnly: true }], 'f.txt', 'r');
  expect([await next(), await next()]).toEqual(['open f.txt: ok', 'read-via-stream: ok']);
  expect([await op('r'), await op('pr')]).toEqual(['r ok 2', 'pr ok 2']);
  expect([await op('w'), await op('pw'), await op('st'), await op('sz')]).toEqual(['w no-stream', 'pw bad-descriptor', 'st read-only', 'sz read-only']);
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  expect(fs.readFileSync(f, 'utf8')).toBe('abcdef');
  expect(fs.statSync(f).mtimeMs).toBe(mtime);
});

it('a "read" answer\'s descriptor never changes the file and is never asked about it; taken back, it reads no more', async () => {
  const outside = realTempDir('secreview3-held-ask');
  const f = path.join(outside, 'f.txt');
  fs.writeFileSync(f, 'abcdef');
  const mtime = fs.statSync(f).mtimeMs;
  const asked: string[] = [];
  let allow = true;
  const { handle, next, op } = heldRun([{ hostPath: '/', guestPath: '/', readOnly: false, ask: true }], f.slice(1), 'r', async (o, p) => {
    asked.push(`${o} ${p}`);
    return allow;
  });
  expect([await next(), await next()]).toEqual([`open ${f.slice(1)}: ok`, 'read-via-stream: ok']);
  expect(asked).toEqual([`read ${f}`]);
  expect([await op('r'), await op('pr')]).toEqual(['r ok 2', 'pr ok 2']);
  expect([await op('pw'), await op('st'), await op('sz')]).toEqual(['pw bad-descriptor', 'st read-only', 'sz read-only']);
  expect(asked).toEqual([`read ${f}`]);
  allow = false;
  handle.forgetAnswers(() => true);
  expect([await op('r'), await op('pr')]).toEqual(['r failed', 'pr access']);
  expect(asked).toEqual([`read ${f}`, `read ${f}`]);
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  expect(fs.readFileSync(f, 'utf8')).toBe('abcdef');
  expect(fs.statSync(f).mtimeMs).toBe(mtime);
});
