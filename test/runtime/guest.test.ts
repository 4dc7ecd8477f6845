/**
 * Primed spares (issue 14.4, guest.ts `primeInstance`, run.ts `primeWorker`): a module is
 * instantiated ahead of its run only when instantiating it runs none of its code; its host functions
 * do not exist until the run's configuration binds them, so the run sees its own args, env and
 * limits, and a worker primed with another module runs a fresh instance of the run's own.
 */
import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Filetype } from '../../main/runtime/abi.ts';
import { type Post, primeInstance, runGuest } from '../../main/runtime/guest.ts';
import { createLedger } from '../../main/runtime/host-calls/fd-ledger.ts';
import { createLoadGuard } from '../../main/runtime/host-calls/load-guard.ts';
import { Ring, createRing } from '../../main/runtime/ring.ts';
import { GuestStdio } from '../../main/runtime/stdio.ts';
import type { WorkerConfig } from '../../main/runtime/worker-protocol.ts';
import { instantiatesInert, loadCommand } from '../../main/runtime/load.ts';
import { type RunOutcome, type RunSpec, bootWorker, primeWorker, primedModule, startRun } from '../../main/runtime/run.ts';
import { fixture } from '../helpers/paths.ts';

const workers: Worker[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) await w.terminate();
});

/** A booted worker, terminated after the test if no run took it. */
function spare(): Worker {
  const w = bootWorker();
  workers.push(w);
  return w;
}

const load = async (name: string): Promise<WebAssembly.Module> => (await loadCommand(fs.readFileSync(fixture(name)))) as WebAssembly.Module;

/** Runs `spec` in `worker`; its output and outcome. */
async function run(spec: Omit<RunSpec, 'onOutput'>, worker: Worker): Promise<{ out: string; outcome: RunOutcome }> {
  const chunks: Uint8Array[] = [];
  const h = startRun({ ...spec, onOutput: (_s, d) => chunks.push(d.slice()) }, worker);
  const outcome = await h.done;
  return { out: Buffer.concat(chunks).toString(), outcome };
}

/**
 * A command that exports `memory` and `_start` and has a start section (function 0, which does
 * nothing): instantiating it runs guest code.
 */
const WITH_START = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type 0: () -> ()
  0x03, 0x02, 0x01, 0x00, // function 0: type 0
  0x05, 0x03, 0x01, 0x00, 0x01, // memory: min 1 page
  0x07, 0x13, 0x02, 0x06, ...Buffer.from('memory'), 0x02, 0x00, 0x06, ...Buffer.from('_start'), 0x00, 0x00,
  0x08, 0x01, 0x00, // start: function 0
  0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // its body: end
]);

describe('which modules may be instantiated ahead of their run', () => {
  it('only a module loadCommand compiled that has no start section', async () => {
    const withStart = await loadCommand(WITH_START);
    expect(instantiatesInert(withStart)).toBe(false);
    expect(instantiatesInert(await load('proc.wasm'))).toBe(true);
    // Compiled elsewhere: nobody looked for a start section.
    expect(instantiatesInert(await WebAssembly.compile(fs.readFileSync(fixture('proc.wasm'))))).toBe(false);
    const w = spare();
    expect(primeWorker(w, withStart)).toBe(false);
    expect(primedModule(w)).toBeUndefined();
  });
});

describe('a primed instance', () => {
  it('reaches no host function before its run binds them, and binds once', async () => {
    const primed = primeInstance(await load('args_env.wasm'));
    expect(() => (primed.instance.exports._start as () => void)()).toThrow(/before its run was configured/);
    const other = primeInstance(await load('proc.wasm'));
    const ctx = { args: [], env: [] } as unknown as Parameters<typeof other.bind>[0];
    expect(other.bind(ctx, () => undefined)).toBe(other.instance);
    expect(() => other.bind(ctx, () => undefined)).toThrow(/runs once/);
  });

  it('is the instance a run given it calls _start of, with that run\'s configuration', async () => {
    const module = await load('proc.wasm');
    const primed = primeInstance(module);
    const C = Filetype.character_device;
    const config: WorkerConfig = {
      module, args: ['proc', 'exit', '5'], env: [], preopens: [], stdioTypes: [C, C, C], stdin: createRing(1024), output: createRing(64 * 1024),
      revoked: new SharedArrayBuffer(4), readOnlyDirs: [], nativeFds: createLedger(), hostCallsGuard: createLoadGuard(), primed: true,
    };
    const posted: Parameters<Post>[0][] = [];
    let started: unknown;
    runGuest(config, new GuestStdio(new Ring(config.stdin), new Ring(config.output)), (m) => posted.push(m), (start) => {
      started = start;
      start();
    }, undefined, primed);
    expect(started).toBe(primed.instance.exports._start);
    expect(posted).toContainEqual({ type: 'exit', code: 5 });
  });

  it('runs with the args and env its run is started with, none of them known when it was primed', async () => {
    const module = await load('args_env.wasm');
    const w = spare();
    expect(primeWorker(w, module)).toBe(true);
    expect(primedModule(w)).toBe(module);
    await new Promise((r) => setTimeout(r, 50)); // instantiated in the worker before the run comes
    const { out, outcome } = await run({ module, args: ['args_env.wasm', 'given-at-start'], env: [['CHOSEN', 'later']], preopens: [] }, w);
    expect(outcome).toEqual({ kind: 'exit', code: 0 });
    expect(out).toContain('argv[1]=given-at-start\n');
    expect(out).toContain('env=CHOSEN=later\n');
    expect(out).toMatch(/ok \d+ checks\n$/);
    expect(primedModule(w)).toBeUndefined(); // the run took it: a worker is primed for one run only
  });

  it('is not used by a run of another module: the run gets a fresh instance of its own', async () => {
    const w = spare();
    expect(primeWorker(w, await load('proc.wasm'))).toBe(true);
    const { out, outcome } = await run({ module: await load('args_env.wasm'), args: ['args_env.wasm', 'mine'], env: [], preopens: [] }, w);
    expect(outcome).toEqual({ kind: 'exit', code: 0 });
    expect(out).toContain('argv[1]=mine\n');
  });

  it('is not used by a run of the same bytes compiled again (another module object)', async () => {
    const w = spare();
    const first = await load('args_env.wasm');
    expect(primeWorker(w, first)).toBe(true);
    const again = await load('args_env.wasm');
    const { out } = await run({ module: again, args: ['args_env.wasm', 'again'], env: [], preopens: [] }, w);
    expect(out).toContain('argv[1]=again\n');
    expect(primedModule(w)).toBeUndefined();
  });

  it('keeps time limits and cancelling working', async () => {
    const module = await load('spin.wasm');
    const timed = spare();
    expect(primeWorker(timed, module)).toBe(true);
    const t = await run({ module, args: ['spin', 'busy'], env: [], preopens: [], timeoutMs: 300 }, timed);
    expect(t.outcome).toEqual({ kind: 'timeout' });
    expect(t.out).toBe('spinning busy\n');

    const cancelled = spare();
    expect(primeWorker(cancelled, module)).toBe(true);
    const chunks: Uint8Array[] = [];
    const h = startRun({ module, args: ['spin', 'sleep'], env: [], preopens: [], onOutput: (_s, d) => chunks.push(d.slice()) }, cancelled);
    for (let i = 0; i < 200 && chunks.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    h.cancel();
    expect(await h.done).toEqual({ kind: 'cancelled' });
    expect(Buffer.concat(chunks).toString()).toBe('spinning sleep\n');
  });
});
