/**
 * Adversarial review (secreview): FdTable.io, the fast descriptor fetch of fd_read, fd_write,
 * fd_pread and fd_pwrite, skips `holds` (the byte calls check their right themselves) and writes
 * out `live`'s checks. A real guest (test/fixtures/held_io.c) holds one descriptor and uses every
 * byte call on it, one-iovec (fast) and two-iovec (general) alike, while the test revokes its grant,
 * or takes back the ask answer it was opened by. Every call after a revocation is EACCES (2);
 * a descriptor of a read-only grant, or opened by a "read" answer, never writes (ENOTCAPABLE, 76)
 * and is never asked about writing; the file's bytes are unchanged from then on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { AskOperation } from '../../main/runtime/ask.ts';
import { type Preopen, startRun } from '../../main/runtime/run.ts';
import { fixture } from '../helpers/paths.ts';
import { realTempDir, removeTempDirs } from '../helpers/temp.ts';

afterEach(removeTempDirs);

const EACCES = 2;
const ENOTCAPABLE = 76;
const OPS = ['r', 'rv', 'pr', 'w', 'wv', 'pw'] as const;

function heldRun(preopens: Preopen[], file: string, mode: 'r' | 'rw', onAsk?: (op: AskOperation, p: string) => Promise<boolean>) {
  let out = '';
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  const handle = startRun({
    module: new WebAssembly.Module(fs.readFileSync(fixture('held_io.wasm'))),
    args: ['held_io', '3', file, mode], env: [], preopens, onAsk,
    onOutput: (_s, d) => {
      out += Buffer.from(d).toString();
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const l = out.slice(0, nl);
        out = out.slice(nl + 1);
        const w = waiters.shift();
        if (w) w(l);
        else lines.push(l);
      }
    },
  });
  const next = (): Promise<string> => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise((r) => waiters.push(r)));
  const op = async (o: string): Promise<string> => {
    const answer = next();
    await handle.writeStdin(Buffer.from(`${o}\n`));
    return answer;
  };
  return { handle, next, op };
}

it('a held descriptor of a revoked grant: every byte call, fast or general, is EACCES and nothing is written', async () => {
  const grant = realTempDir('secreview-held');
  const f = path.join(grant, 'f.txt');
  fs.writeFileSync(f, 'abcdef');
  const { handle, next, op } = heldRun([{ hostPath: grant, guestPath: '/g', readOnly: false }], 'f.txt', 'rw');
  expect(await next()).toBe('open ok');
  for (const o of OPS) expect(await op(o)).toMatch(new RegExp(`^${o} ok [12]$`));
  const before = fs.readFileSync(f, 'utf8');
  handle.revoke(0);
  for (const o of OPS) expect(await op(o)).toBe(`${o} errno ${EACCES}`);
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  expect(fs.readFileSync(f, 'utf8')).toBe(before);
});

it('a read-only grant: opening for writing is refused; a read descriptor reads and never writes', async () => {
  const grant = realTempDir('secreview-held-ro');
  const f = path.join(grant, 'f.txt');
  fs.writeFileSync(f, 'abcdef');
  const rw = heldRun([{ hostPath: grant, guestPath: '/g', readOnly: true }], 'f.txt', 'rw');
  expect(await rw.next()).toBe(`open errno ${ENOTCAPABLE}`);
  expect(await rw.handle.done).toEqual({ kind: 'exit', code: 1 });
  const { handle, next, op } = heldRun([{ hostPath: grant, guestPath: '/g', readOnly: true }], 'f.txt', 'r');
  expect(await next()).toBe('open ok');
  for (const o of ['r', 'rv', 'pr']) expect(await op(o)).toMatch(new RegExp(`^${o} ok [12]$`));
  for (const o of ['w', 'wv', 'pw']) expect(await op(o)).toBe(`${o} errno ${ENOTCAPABLE}`);
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  expect(fs.readFileSync(f, 'utf8')).toBe('abcdef');
});

it('a descriptor opened by a "read" answer never writes and is never asked about it; taken back, it reads no more', async () => {
  const outside = realTempDir('secreview-held-ask');
  const f = path.join(outside, 'f.txt');
  fs.writeFileSync(f, 'abcdef');
  const asked: string[] = [];
  let allow = true;
  const { handle, next, op } = heldRun([{ hostPath: '/', guestPath: '/', readOnly: false, ask: true }], f.slice(1), 'r', async (o, p) => {
    asked.push(`${o} ${p}`);
    return allow;
  });
  expect(await next()).toBe('open ok');
  expect(asked).toEqual([`read ${f}`]);
  for (const o of ['r', 'rv', 'pr']) expect(await op(o)).toMatch(new RegExp(`^${o} ok [12]$`));
  for (const o of ['w', 'wv', 'pw']) expect(await op(o)).toBe(`${o} errno ${ENOTCAPABLE}`);
  expect(asked).toEqual([`read ${f}`]);
  // The answer taken back (a revocation, a "deny always"): the next use asks again, and is refused.
  allow = false;
  handle.forgetAnswers(() => true);
  for (const o of ['r', 'pr', 'w']) expect(await op(o)).toBe(`${o} errno ${EACCES}`);
  expect(asked).toEqual([`read ${f}`, `read ${f}`]);
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  expect(fs.readFileSync(f, 'utf8')).toBe('abcdef');
});
