/**
 * Ask mode in the runtime (DESIGN §5): through the "/" ask root the guest sees host paths under
 * their own names; every access no grant covers pauses the worker and is put to `onAsk` before
 * anything is opened; granted folders are never asked about; answers hold for the run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { type AskOperation, gate } from '../../main/runtime/ask.ts';
import { Errno } from '../../main/runtime/abi.ts';
import { loadCommand } from '../../main/runtime/load.ts';
import { type Preopen, type RunHandle, startRun } from '../../main/runtime/run.ts';
import { fixture } from '../helpers/paths.ts';

const probe = fixture('ask_probe');
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

// wasi-libc's errno numbers: EACCES 2, ENOTCAPABLE 76; its read() and write() report a missing
// right as EBADF (8), as POSIX does for a descriptor not open for that.
const EACCES = 2;
const EBADF = 8;
const ENOTCAPABLE = 76;

test('a descriptor opened after a "read" answer can only read: no new times, size, space or bytes', async () => {
  const { outside } = tree();
  const secret = path.join(outside, 'secret.txt');
  const old = new Date('2001-01-01T00:00:00Z');
  fs.utimesSync(secret, old, old);
  const r = await run([`readfd:${secret}`], [askRoot], (op) => op === 'read');
  expect(r.asked).toEqual([`read ${secret}`]);
  expect(r.lines).toContain(`readfd ${secret} times=${ENOTCAPABLE} alloc=${ENOTCAPABLE} size=${ENOTCAPABLE} write=${EBADF}`);
  expect(fs.readFileSync(secret, 'utf8')).toBe('secret');
  expect(fs.statSync(secret).mtime.getTime()).toBe(old.getTime());
});

test('a folder opened after a "list" answer looks up and lists, and changes nothing through its descriptor', async () => {
  const { outside } = tree();
  const secret = path.join(outside, 'secret.txt');
  const old = new Date('2001-01-01T00:00:00Z');
  fs.utimesSync(outside, old, old);
  // Everything is allowed: the descriptor itself must not carry more than the listing asked for.
  const r = await run([`dirfd:${outside}`], [askRoot], () => true);
  // The file opened through it is asked about again, as what the open can do: read.
  expect(r.asked).toEqual([`list ${outside}`, `read ${secret}`]);
  expect(r.lines).toContain(`dirfd ${outside} unlink=${ENOTCAPABLE} openw=${EBADF} times=${ENOTCAPABLE}`);
  expect(fs.readFileSync(secret, 'utf8')).toBe('secret');
  expect(fs.statSync(outside).mtime.getTime()).toBe(old.getTime());
});

test('a hard link asks as a link, even for a file already read: denied, nothing is made in the writable grant', async () => {
  const { granted, outside } = tree();
  const secret = path.join(outside, 'secret.txt');
  const r = await run(
    [`read:${secret}`, `link:${secret}>${granted}/stolen.txt`],
    [askRoot, { hostPath: granted, guestPath: granted, readOnly: false }],
    (op) => op === 'read',
  );
  expect(r.lines).toContain(`content ${secret} secret`);
  expect(r.asked).toEqual([`read ${secret}`, `link ${secret}`]);
  expect(r.lines).toContain(`link ${secret}>${granted}/stolen.txt errno=${EACCES}`);
  expect(fs.existsSync(path.join(granted, 'stolen.txt'))).toBe(false);
});

test('rename asks as a rename on both sides, set-times and truncation ask as themselves; nothing changes on deny', async () => {
  const { outside } = tree();
  const secret = path.join(outside, 'secret.txt');
  const old = new Date('2001-01-01T00:00:00Z');
  fs.utimesSync(secret, old, old);
  const r = await run(
    [`rename:${secret}>${outside}/moved.txt`, `touch:${secret}`, `trunc:${secret}`],
    [askRoot],
    (op, p) => op === 'rename' && p === secret, // the source side alone is not enough
  );
  expect(r.asked).toEqual([`rename ${secret}`, `rename ${outside}/moved.txt`, `set-times ${secret}`, `truncate ${secret}`]);
  expect(r.lines).toContain(`rename ${secret}>${outside}/moved.txt errno=${EACCES}`);
  expect(r.lines).toContain(`touch ${secret} errno=${EACCES}`);
  expect(r.lines).toContain(`trunc ${secret} errno=${EACCES}`);
  expect(fs.readFileSync(secret, 'utf8')).toBe('secret');
  expect(fs.statSync(secret).mtime.getTime()).toBe(old.getTime());
  expect(fs.existsSync(path.join(outside, 'moved.txt'))).toBe(false);
});

test('allowed changes happen, each allowed by its own answer only', async () => {
  const { outside } = tree();
  const secret = path.join(outside, 'secret.txt');
  const old = new Date('2001-01-01T00:00:00Z');
  fs.utimesSync(secret, old, old);
  const r = await run([`touch:${secret}`, `trunc:${secret}`, `write:${secret}`, `rename:${secret}>${outside}/moved.txt`], [askRoot], (op) => op !== 'write');
  expect(r.asked).toEqual([
    `set-times ${secret}`, `truncate ${secret}`, `write ${secret}`, `rename ${secret}`, `rename ${outside}/moved.txt`,
  ]);
  expect(r.lines).toEqual(expect.arrayContaining([`touch ${secret} ok`, `trunc ${secret} ok`, `write ${secret} errno=${EACCES}`]));
  expect(fs.readFileSync(path.join(outside, 'moved.txt'), 'utf8')).toBe('');
  expect(fs.statSync(path.join(outside, 'moved.txt')).mtime.getTime()).not.toBe(old.getTime());
});

test('the ask root itself cannot be re-dated through its descriptor (nobody was asked)', async () => {
  const { outside } = tree();
  const old = new Date('2001-01-01T00:00:00Z');
  fs.utimesSync(outside, old, old);
  // An ask root over a temporary folder, so the test never touches the real "/".
  const r = await run(['fdtimes:3'], [{ hostPath: outside, guestPath: '/', readOnly: false, ask: true }], () => true);
  expect(r.asked).toEqual([]);
  expect(r.lines).toContain(`fdtimes 3 errno=${ENOTCAPABLE}`);
  expect(fs.statSync(outside).mtime.getTime()).toBe(old.getTime());
});

test('a descriptor opened through an answer stops working once that answer is taken back, and the run goes on', async () => {
  const { outside } = tree();
  const secret = path.join(outside, 'secret.txt');
  const asked: string[] = [];
  let allow = true;
  let out = '';
  let taken = false;
  const handle: RunHandle = startRun({
    module: loadCommand(fs.readFileSync(fixture('held_read'))),
    args: ['held_read.wasm', secret],
    env: [],
    preopens: [askRoot],
    onOutput: (_s, d) => {
      out += Buffer.from(d).toString('utf8');
      // The person's answer is taken back (say a "deny always" from another window) while the
      // guest keeps reading through the descriptor it opened with that answer.
      if (!taken && out.includes('read ok')) {
        taken = true;
        allow = false;
        handle.forgetAnswers((_op, p) => p === secret);
      }
    },
    onAsk: async (op, p) => {
      asked.push(`${op} ${p}`);
      return allow;
    },
  });
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  expect(out.trim().split('\n')).toEqual(['open ok', 'read ok', 'read errno 2', 'still running']);
  // Asked once to open it, once more when the answer was taken back; never again after the refusal.
  expect(asked).toEqual([`read ${secret}`, `read ${secret}`]);
});

test('a folder that asks, in a run with nobody to ask, allows nothing (fails closed)', () => {
  // A run whose ask root reached the guest without an asker (a same-thread run mis-chosen, a
  // future entry point) must refuse, never let the guest through unasked.
  for (const op of ['read', 'create', 'list'] as const) {
    expect(() => gate(undefined, true, '/home/someone', 'secret.txt', op)).toThrow(expect.objectContaining({ errno: Errno.acces }));
  }
  expect(() => gate(undefined, false, '/granted', 'in.txt', 'read')).not.toThrow(); // a granted folder is not asked about
});
