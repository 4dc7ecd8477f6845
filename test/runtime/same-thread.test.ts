/**
 * A run on the caller's own thread (main/runtime/same-thread.ts): chosen only when it fits, and
 * then still bounded by the time limit, stopped by Ctrl+C and by its reader going away, with
 * every byte of its output delivered.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCommand } from '../../main/runtime/load.ts';
import { type RunOutcome, type RunSpec, startRun } from '../../main/runtime/run.ts';
import { fitsPipeStdin } from '../../main/runtime/same-thread.ts';
import type { Program } from '../../main/runtime/p2/program.ts';
import { fixture, repoRoot } from '../helpers/paths.ts';
import { cliPath, collect, collectBytes, nodeBin, runCli, spawnCli } from '../helpers/cli.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

/** Waits for the child's first line of output (then `settleMs` more), sends Ctrl+C (SIGINT) and returns how it ended. */
async function interruptAfterFirstLine(child: ChildProcess, settleMs = 0): Promise<{ code: number | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await new Promise<void>((resolve) => child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    if (out.includes('\n')) resolve();
  }));
  await new Promise((r) => setTimeout(r, settleMs));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(killer);
  return { code, out, err };
}

const devNull = fs.openSync('/dev/null', 'r');
afterAll(() => {
  fs.closeSync(devNull);
  removeTempDirs();
});

/** Runs fixture `name` with `args` through startRun({ sameThread: true }); records where output was written from. */
async function run(name: string, args: string[], more: Partial<RunSpec> = {}): Promise<{ outcome: RunOutcome; out: string; here: boolean[] }> {
  const module = loadCommand(fs.readFileSync(fixture(name)));
  let out = '';
  const here: boolean[] = [];
  const handle = startRun({
    module, args: [name, ...args], env: [], preopens: [], sameThread: true,
    onOutput: (_stream, data) => {
      out += Buffer.from(data).toString('latin1');
      // On this thread the guest's write is still on the stack, inside vm's watchdog script.
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = Infinity;
      here.push(new Error().stack!.includes('terrarium:guest'));
      Error.stackTraceLimit = limit;
    },
    ...more,
  });
  const outcome = await handle.done;
  return { outcome, out, here };
}

describe('choosing the thread', () => {
  it('runs a module that never reads stdin on this thread', async () => {
    const r = await run('proc', ['exit', '3']);
    expect(r.outcome).toEqual({ kind: 'exit', code: 3 });
    expect(r.out).toBe('exiting 3\n');
    expect(r.here).toEqual([true]);
  });

  it('runs a module that can reach a granted folder in a worker, where a revocation reaches it', async () => {
    const folder = tempDir('same-thread-grant');
    const granted = { hostPath: folder, guestPath: '/data', readOnly: false, grantId: 7 };
    // revoke_times sets its folder's times (fd_filestat_set_times): a revocable grant sends it to a worker.
    const revocable = await run('revoke_times.wasm', ['0'], { preopens: [granted] });
    expect(revocable.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(revocable.out).toBe('end\n');
    expect(revocable.here).toEqual([false]);
    // The same folder given for the run alone (`run --dir`: nothing to revoke) stays here.
    const { grantId: _, ...ownFolder } = granted;
    expect((await run('revoke_times.wasm', ['0'], { preopens: [ownFolder] })).here).toEqual([true]);
    // A module that reaches no folder stays here with a grant.
    expect((await run('proc', ['exit', '0'], { preopens: [granted] })).here).toEqual([true]);
  });

  it('runs a module that reads stdin on this thread only when stdin is a host fd', async () => {
    const ring = await run('stdio', ['pattern']);
    expect(ring.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(ring.here.length).toBeGreaterThan(0);
    expect(ring.here.every((h) => !h)).toBe(true);
    const direct = await run('stdio', ['pattern'], { stdinFd: devNull });
    expect(direct.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(direct.out).toBe(ring.out);
    expect(direct.here.every((h) => h)).toBe(true);
  });

  it('held output (a file, /dev/null) arrives whole, in order, in fewer and larger pieces', async () => {
    const pieces: [number, string][] = [];
    const each = await run('stdio', ['pattern'], { stdinFd: devNull });
    const held = await run('stdio', ['pattern'], { stdinFd: devNull, holdOutput: [true, true], onOutput: (stream, data) => void pieces.push([stream, Buffer.from(data).toString('latin1')]) });
    expect(held.outcome).toEqual({ kind: 'exit', code: 0 });
    // Both streams, in the order written: a change of stream hands on what was held first.
    expect(pieces.map(([, d]) => d).join('')).toBe(each.out);
    expect(new Set(pieces.map(([s]) => s))).toEqual(new Set([1, 2]));
    expect(pieces.length).toBeLessThan(each.here.length);
  });

  it('an ask folder keeps a run on this thread only when the module cannot reach it (no path function, no fd_readdir)', async () => {
    const askRoot = { hostPath: repoRoot, guestPath: '/', readOnly: false, ask: true };
    const unreachable = await run('proc', ['exit', '3'], { preopens: [askRoot] });
    expect(unreachable.outcome).toEqual({ kind: 'exit', code: 3 });
    expect(unreachable.here).toEqual([true]);
    const reachable = await run('fd_basic', [], { preopens: [askRoot], stdinFd: devNull });
    expect(reachable.here.length).toBeGreaterThan(0);
    expect(reachable.here.every((h) => !h)).toBe(true);
  });

  it('TERRARIUM_SAME_THREAD=0 sends every run to a worker', async () => {
    process.env.TERRARIUM_SAME_THREAD = '0';
    try {
      const r = await run('proc', ['exit', '3']);
      expect(r.outcome).toEqual({ kind: 'exit', code: 3 });
      expect(r.here).toEqual([false]);
    } finally {
      delete process.env.TERRARIUM_SAME_THREAD;
    }
  });
});

describe('stopping a run on this thread', () => {
  it.each(['busy', 'sleep'])('the time limit stops a guest that is %s', async (mode) => {
    const started = performance.now();
    const r = await run('spin', [mode], { stdinFd: devNull, timeoutMs: 300 });
    expect(r.outcome).toEqual({ kind: 'timeout' });
    expect(r.out).toBe(`spinning ${mode}\n`);
    expect(r.here).toEqual([true]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('a consumer that cancels (its reader gone) ends the guest at its next write', async () => {
    const module = loadCommand(fs.readFileSync(fixture('e2e_flood')));
    let writes = 0;
    const handle = startRun({
      module, args: ['e2e_flood', '100'], env: [], preopens: [], sameThread: true,
      onOutput: () => {
        writes++;
        handle.cancel();
      },
    });
    expect(await handle.done).toEqual({ kind: 'cancelled' });
    expect(writes).toBe(1);
  });

  it('Ctrl+C (SIGINT) stops the command: exit 130 and one line on stderr', async () => {
    const child = spawnCli(null, ['run', fixture('spin'), '--', 'busy'], { stdio: [devNull, 'pipe', 'pipe'] });
    expect(await interruptAfterFirstLine(child)).toEqual({ code: 130, out: 'spinning busy\n', err: 'terrarium: interrupted\n' });
  });
});

it('a flood through a pipe arrives whole', async () => {
  const r = await runCli(['run', fixture('e2e_flood'), '--', '8'], { stdinFd: devNull });
  expect(r.code).toBe(0);
  const text = r.stdout.toString('latin1');
  expect(text.endsWith(`FLOOD-DONE ${8 * 1024 * 1024}\n`)).toBe(true);
  expect(r.stdout.length).toBe(8 * 1024 * 1024 + `FLOOD-DONE ${8 * 1024 * 1024}\n`.length);
});

describe('stdin from a pipe (cat f | terrarium run app)', () => {
  const sha = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

  it('is read by the guest on this thread only with no time limit and no poll_oneoff', async () => {
    const echo = await loadCommand(fs.readFileSync(fixture('stdio')));
    const poll = await loadCommand(fs.readFileSync(fixture('poll')));
    const spec: RunSpec = { module: Promise.resolve(echo), args: ['stdio'], env: [], preopens: [], onOutput: () => {} };
    expect(await fitsPipeStdin(spec)).toBe(true);
    expect(await fitsPipeStdin({ ...spec, timeoutMs: 60_000 })).toBe(false);
    expect(await fitsPipeStdin({ ...spec, module: Promise.resolve(poll) })).toBe(false);
    expect(await fitsPipeStdin({ ...spec, module: Promise.reject(new Error('not a module')) })).toBe(false);
  });

  it('a pipe and a socket on stdin are read whole and in order (checksum)', async () => {
    const data = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const file = path.join(tempDir('pipe-stdin'), 'in.bin');
    fs.writeFileSync(file, data);
    const piped = spawn('sh', ['-c', 'cat "$0" | "$1" "$2" run "$3" -- echo', file, nodeBin, cliPath, fixture('stdio')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const viaPipe = await collectBytes(piped);
    expect({ code: viaPipe.code, err: viaPipe.stderr.toString(), sum: sha(viaPipe.stdout) }).toEqual({ code: 0, err: 'ok 3 checks\n', sum: sha(data) });
    const viaSocket = await runCli(['run', fixture('stdio'), '--', 'echo'], { input: data });
    expect({ code: viaSocket.code, err: viaSocket.stderr.toString(), sum: sha(viaSocket.stdout) }).toEqual({ code: 0, err: 'ok 3 checks\n', sum: sha(data) });
  });

  it('Ctrl+C (SIGINT) during a read blocked on the pipe stops the command: exit 130', async () => {
    const child = spawnCli(null, ['run', fixture('stdio'), '--', 'echo'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin!.write('first line\n'); // echoed, then the guest blocks reading the open, empty pipe
    const r = await interruptAfterFirstLine(child, 200);
    child.stdin!.destroy();
    expect(r).toEqual({ code: 130, out: 'first line\n', err: 'terrarium: interrupted\n' });
  });
});

describe('a component (the WASI 0.2 host) on this thread', () => {
  const FULL = { TERRARIUM_COMPONENT_HOST: 'wasi-0.2' };
  /** Compiles fixture component `name` for the 0.2 host (as the CLI does under FULL). */
  async function fullHost(name: string): Promise<Program> {
    process.env.TERRARIUM_COMPONENT_HOST = FULL.TERRARIUM_COMPONENT_HOST;
    try {
      return await loadCommand(fs.readFileSync(fixture(`components/${name}.component.wasm`)));
    } finally {
      delete process.env.TERRARIUM_COMPONENT_HOST;
    }
  }
  // Loaded before the command: says on stderr each time a run's worker (runtime/worker.js, also
  // bundled) starts; the transpiler's own helper thread is not one.
  const workerWatch = `--import=data:text/javascript,${encodeURIComponent([
    "import wt from 'node:worker_threads'; import { syncBuiltinESMExports } from 'node:module';",
    'wt.Worker = class extends wt.Worker { constructor(...a) {',
    "  super(...a); if (/[/\\\\]worker\\.js$/.test(String(a[0]))) process.stderr.write('[run worker]\\n'); } };",
    'syncBuiltinESMExports();',
  ].join('\n'))}`;

  it('runs on this thread as a module does: not when it may ask through an ask folder, nor read a stdin that is no host fd', async () => {
    const askRoot = { hostPath: repoRoot, guestPath: '/', readOnly: false, ask: true };
    const proc = await fullHost('proc');
    const here = await run('proc', ['exit', '0'], { module: Promise.resolve(proc), preopens: [askRoot] });
    expect(here.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(here.out).toBe('exiting 0\n');
    expect(here.here.length).toBeGreaterThan(0);
    expect(here.here.every((h) => h)).toBe(true);
    const asks = await run('path_ops', [], { module: Promise.resolve(await fullHost('path_ops')), preopens: [askRoot], stdinFd: devNull });
    expect(asks.here.length).toBeGreaterThan(0);
    expect(asks.here.every((h) => !h)).toBe(true);
    const stdio = await fullHost('stdio');
    const ring = await run('stdio', ['pattern'], { module: Promise.resolve(stdio) });
    expect(ring.here.length).toBeGreaterThan(0);
    expect(ring.here.every((h) => !h)).toBe(true);
    const direct = await run('stdio', ['pattern'], { module: Promise.resolve(stdio), stdinFd: devNull });
    expect({ outcome: direct.outcome, out: direct.out }).toEqual({ outcome: ring.outcome, out: ring.out });
    expect(direct.here.length).toBeGreaterThan(0);
    expect(direct.here.every((h) => h)).toBe(true);
  });

  it('`terrarium run` starts no worker for it', async () => {
    const cli = (env: Record<string, string>): Promise<unknown> => collect(spawnCli(null, ['run', fixture('components/proc.component.wasm'), '--', 'exit', '0'], {
      env: { ...FULL, ...env }, nodeArgs: [workerWatch], stdio: [devNull, 'pipe', 'pipe'],
    }));
    expect(await cli({})).toEqual({ code: 0, signal: null, stdout: 'exiting 0\n', stderr: '' });
    // The watch itself works: the same run sent to a worker is seen.
    expect(await cli({ TERRARIUM_SAME_THREAD: '0' })).toEqual({ code: 0, signal: null, stdout: 'exiting 0\n', stderr: '[run worker]\n' });
  });

  it('Ctrl+C (SIGINT) during a read blocked on the pipe stops the command: exit 130, no worker', async () => {
    const child = spawnCli(null, ['run', fixture('components/stdio.component.wasm'), '--', 'echo'], { env: FULL, nodeArgs: [workerWatch], stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin!.write('first line\n');
    const r = await interruptAfterFirstLine(child, 200);
    child.stdin!.destroy();
    expect(r).toEqual({ code: 130, out: 'first line\n', err: 'terrarium: interrupted\n' });
  });
});
