/**
 * Ask mode in the runtime (DESIGN §5): through the "/" ask root the guest sees host paths under
 * their own names; every access no grant covers pauses the worker and is put to `onAsk` before
 * anything is opened; granted folders are never asked about; answers hold for the run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { AskOperation } from '../../main/runtime/ask.ts';
import { loadCommand } from '../../main/runtime/load.ts';
import { type Preopen, startRun } from '../../main/runtime/run.ts';

const probe = path.resolve(import.meta.dirname, '..', 'fixtures', 'ask_probe.wasm');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tree(): { granted: string; outside: string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-ask-')));
  dirs.push(root);
  const granted = path.join(root, 'granted');
  const outside = path.join(root, 'outside');
  fs.mkdirSync(granted);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(granted, 'in.txt'), 'inside');
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  return { granted, outside };
}

async function run(args: string[], preopens: Preopen[], answer: (op: AskOperation, p: string) => boolean) {
  const asked: string[] = [];
  let out = '';
  const handle = startRun({
    module: loadCommand(fs.readFileSync(probe)),
    args: ['ask_probe.wasm', ...args],
    env: [],
    preopens,
    onOutput: (_s, d) => {
      out += Buffer.from(d).toString('utf8');
    },
    onAsk: async (op, p) => {
      asked.push(`${op} ${p}`);
      return answer(op, p);
    },
  });
  handle.endStdin();
  const outcome = await handle.done;
  expect(outcome).toEqual({ kind: 'exit', code: 0 });
  return { asked, lines: out.trim().split('\n') };
}

const askRoot: Preopen = { hostPath: '/', guestPath: '/', readOnly: false, ask: true };

test('a granted folder is used without asking; outside it, every access is asked first', async () => {
  const { granted, outside } = tree();
  const secret = path.join(outside, 'secret.txt');
  const r = await run(
    [`read:${granted}/in.txt`, `read:${secret}`, `create:${outside}/new.txt`, `list:${outside}`],
    [askRoot, { hostPath: granted, guestPath: granted, readOnly: false }],
    () => false,
  );
  expect(r.lines).toContain(`read ${granted}/in.txt ok`);
  expect(r.asked).toEqual([`read ${secret}`, `create ${outside}/new.txt`, `list ${outside}`]);
  // Every refused access fails with EACCES (2 in wasi-libc's numbering).
  expect(r.lines).toContain(`read ${secret} errno=2`);
  expect(r.lines).toContain(`create ${outside}/new.txt errno=2`);
  expect(r.lines).toContain(`list ${outside} errno=2`);
  expect(r.lines.some((l) => l.includes('secret') && l.startsWith('content'))).toBe(false);
  expect(fs.existsSync(path.join(outside, 'new.txt'))).toBe(false);
});

test('an allowed access happens, and the answer holds for the rest of the run', async () => {
  const { outside } = tree();
  const secret = path.join(outside, 'secret.txt');
  const r = await run([`read:${secret}`, `read:${secret}`, `create:${outside}/made.txt`], [askRoot], (op) => op !== 'create');
  expect(r.asked).toEqual([`read ${secret}`, `create ${outside}/made.txt`]);
  expect(r.lines.filter((l) => l === `content ${secret} secret`)).toHaveLength(2);
  expect(r.lines).toContain(`create ${outside}/made.txt errno=2`);
  expect(fs.existsSync(path.join(outside, 'made.txt'))).toBe(false);
});

test('deleting, making folders and writing are asked as such, and nothing happens on deny', async () => {
  const { outside } = tree();
  const secret = path.join(outside, 'secret.txt');
  const r = await run([`unlink:${secret}`, `mkdir:${outside}/d`, `write:${secret}`], [askRoot], () => false);
  expect(r.asked).toEqual([`delete ${secret}`, `create ${outside}/d`, `write ${secret}`]);
  expect(fs.readFileSync(secret, 'utf8')).toBe('secret');
  expect(fs.existsSync(path.join(outside, 'd'))).toBe(false);
});

test('without an answerer, ask mode denies', async () => {
  const { outside } = tree();
  const secret = path.join(outside, 'secret.txt');
  let out = '';
  const handle = startRun({
    module: loadCommand(fs.readFileSync(probe)),
    args: ['ask_probe.wasm', `read:${secret}`],
    env: [],
    preopens: [askRoot],
    onOutput: (_s, d) => {
      out += Buffer.from(d).toString('utf8');
    },
  });
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  expect(out).toContain(`read ${secret} errno=2`);
  expect(out).not.toContain('content');
});
