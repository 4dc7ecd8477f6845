/**
 * Starting and supervising one run from the main thread: one worker per run, stdio through
 * shared rings, a wall-clock limit, and cancellation. Knows nothing of SQLite or Electron.
 */
import type { Program } from './p2/program.ts';
import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { Filetype } from './abi.ts';
import { type AskOperation, answerAsk, createAskBuffer, takeBackAnswers } from './ask.ts';
import { identityKey } from '../shared/folder-pin.ts';
import { closeLeftovers, createLedger } from './host-calls/fd-ledger.ts';
import { createLoadGuard, terminateWhenSafe } from './host-calls/load-guard.ts';
import { createVerdict } from './host-calls/verdict.ts';
import { Ring, createRing } from './ring.ts';
import { OutputPool } from './output-pool.ts';
import { startSameThread } from './same-thread.ts';
import type { LoadMessage, Preopen, PrimeMessage, WorkerConfig, WorkerMessage } from './worker-protocol.ts';
import { LoadError, instantiatesInert, noteInert } from './load.ts';

export type { Preopen } from './worker-protocol.ts';

/** What a run needs: the compiled command and the capabilities it is granted. */
export interface RunSpec {
  /** The compiled command, or its compilation under way (the worker boots meanwhile). */
  module: Program | Promise<Program>;
  /** argv, including argv[0]. */
  args: string[];
  /** Exactly the environment the guest sees. */
  env: [string, string][];
  preopens: Preopen[];
  /** Filetypes reported for fds 0-2; character devices (a terminal) by default. */
  stdioTypes?: [number, number, number];
  memoryMaxBytes?: number;
  /**
   * A host fd of a regular file the guest's stdin reads directly (the CLI with `< file`), or of a
   * pipe when the run is on this thread (same-thread.ts `fitsPipeStdin`); then `writeStdin` is not used.
   */
  stdinFd?: number;
  /** Wall-clock limit; the run ends with outcome `timeout` after it. */
  timeoutMs?: number;
  /**
   * Receives output in order; `data` is only valid during the call (a reused buffer: a consumer
   * that keeps it longer holds it, output-pool.ts `holdOutput`, or copies it).
   */
  onOutput: (stream: 1 | 2, data: Uint8Array) => void;
  /**
   * Called after each delivered batch of output; when it returns a promise, no more output is
   * taken from the ring until it settles, so a slow consumer holds the guest back (its writes
   * block) instead of letting output pile up in memory.
   */
  backpressure?: () => Promise<void> | undefined;
  /**
   * Ask mode: decides an access through an ask preopen that no grant covers (the person's answer).
   * Without it every such access is denied.
   */
  onAsk?: (operation: AskOperation, hostPath: string) => Promise<boolean>;
  /**
   * Diagnostics from the host (internal errors), never guest output: a one-line `message`, and
   * `detail` (a stack trace of Terrarium's code) that belongs in Terrarium's own log only.
   */
  onLog?: (message: string, detail?: string) => void;
  /**
   * A pinned preopen was found replaced when the worker opened it, and the run started without
   * it (default: reported through onLog).
   */
  onStale?: (preopen: Preopen, reason: string) => void;
  /**
   * Identities ("dev:ino") of further folders that stay read-only by every route, besides the
   * read-only preopens' own (e.g. a read-only grant left out as stale: wherever its folder went).
   */
  readOnlyDirs?: readonly string[];
  /**
   * Run on the caller's thread when nothing needs it free meanwhile (same-thread.ts): the CLI, which
   * then skips a worker's boot. A run that does not fit goes to a worker anyway.
   */
  sameThread?: boolean;
  /**
   * Per stream (stdout, stderr): a same-thread run's output that nobody watches live (a file,
   * /dev/null) may be gathered for up to 20 ms into writes of up to 64 KiB (stdio.ts, DirectStdio).
   */
  holdOutput?: readonly [stdout: boolean, stderr: boolean];
}

/** How a run ended. */
export type RunOutcome =
  | { kind: 'exit'; code: number }
  | { kind: 'trap'; message: string; memoryAtCap: boolean }
  | { kind: 'timeout' }
  | { kind: 'cancelled' }
  | { kind: 'load-error'; message: string }
  | { kind: 'crash'; message: string };

/** A running guest. */
export interface RunHandle {
  /** Settles once the guest has ended and all its output has been delivered. */
  readonly done: Promise<RunOutcome>;
  /** Queues bytes for the guest's stdin; resolves when they are in the ring. */
  writeStdin(data: Uint8Array): Promise<void>;
  /** Ends the guest's stdin after what was queued. */
  endStdin(): void;
  /** Stops the run (outcome `cancelled`). */
  cancel(): void;
  /** Revokes preopen `index` (`spec.preopens[index]`): its next access is denied. */
  revoke(index: number): void;
  /**
   * Ask mode: takes back the run's allow answers that `covers` (a revocation or "deny always"
   * made meanwhile): the guest's next such access is decided by `onAsk` again. Other allow
   * answers keep holding without asking the person twice.
   */
  forgetAnswers(covers: (operation: AskOperation, hostPath: string) => boolean): void;
}

const STDIN_RING = 1024 * 1024;
const OUTPUT_RING = 1024 * 1024;
const YIELD_EVERY = 1024 * 1024;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** This tree's own worker entry (beside this module: the sources, tsc's out/app, or the bundle's out/cli). */
const ownWorkerUrl = new URL('./worker.js', import.meta.url);
let workerUrl: URL | undefined;

/**
 * The worker entry a run's worker starts from: out/cli's (scripts/bundle-cli.ts, the runtime as one
 * cached script) in a packaged app (which carries it: electron-builder.config.ts), and in a checkout
 * when this module is the sources' or tsc's (tests, `bench:window`, `npm start`) and that bundle is
 * fresh (out/cli/sources.json newer than every source it was made from, bin/terrarium.js's rule);
 * this tree's own otherwise. A worker of the sources loads ~40 modules (and node:fs's ES facade,
 * which loads fs/promises, readline and the REPL's history): 47-60 ms of its thread's CPU per boot
 * against 4-10 (docs/design/warm-runs.md rounds 11 and 12). Decided once, at the first boot. The
 * same sources make both, so the worker runs the same code either way.
 */
export function workerEntry(): URL {
  return (workerUrl ??= bundleWorker() ?? ownWorkerUrl);
}

/** The bundled worker this module's tree has (the package's, or the checkout's when fresh); undefined otherwise. */
function bundleWorker(): URL | undefined {
  const here = import.meta.url;
  const root = here.endsWith('/main/runtime/run.ts') ? new URL('../../', here)
    : here.endsWith('/out/app/main/runtime/run.js') ? new URL('../../../../', here) : undefined;
  return packagedWorker(here) ?? (root === undefined ? undefined : freshWorkerIn(root)); // undefined: the bundle itself
}

/**
 * The bundled worker a packaged app carries (out/cli/worker.js beside out/app, electron-builder.config.ts)
 * when `url` (this module's) is tsc's run.js inside one; undefined otherwise. Electron shows the app's
 * asar as a folder named app.asar (the OnlyLoadAppFromAsar fuse loads the app from nowhere else,
 * scripts/after-pack.ts), and a URL's separators are `/` on every system. One build made the
 * package's out/app and out/cli: there is no freshness to check. The worker's V8 code caches go to
 * the user's cache folder (compile-cache.cjs cacheDir), never beside the code (an asar is read-only).
 */
export function packagedWorker(url: string): URL | undefined {
  return url.startsWith('file:') && url.endsWith('/app.asar/out/app/main/runtime/run.js') ? new URL('../../../cli/worker.js', url) : undefined;
}

/**
 * `root`'s out/cli/worker.js when its bundle is fresh by bin/terrarium.js's rule (compile-cache.cjs
 * `freshBundle`: out/cli/sources.json newer than every source listed there) and holds the worker
 * (main/runtime/worker-main.ts among its sources); undefined otherwise (none, or a source gone or
 * changed: this tree's own).
 */
export function freshWorkerIn(root: URL): URL | undefined {
  const info = launcherModule().freshBundle(process.getBuiltinModule('node:url').fileURLToPath(root));
  return info?.sources.includes('main/runtime/worker-main.ts') === true ? new URL('out/cli/worker.js', root) : undefined;
}

/**
 * compile-cache.cjs (beside main/runtime/, in the sources and in tsc's out/app): the instance this
 * thread has (bin's, on the realm's global) or through `require`, which only defines its functions.
 * Not an import: the bundle holds this module, and its script would then import compile-cache.js
 * at every start; the bundle never asks (`bundleWorker`).
 */
function launcherModule(): typeof import('../compile-cache.cjs') {
  return (globalThis as unknown as Record<symbol, typeof import('../compile-cache.cjs') | undefined>)[Symbol.for('terrarium.compile-cache')]
    ?? (process.getBuiltinModule('node:module').createRequire(import.meta.url)('../compile-cache.cjs') as typeof import('../compile-cache.cjs'));
}

/** Whether the native host calls passed their self-test in this process (host-calls/verdict.ts). */
const hostCallsVerdict = createVerdict();

/** What a run's worker is started with. */
export interface WorkerData {
  hostCallsVerdict: SharedArrayBuffer;
  resourcesPath: string | undefined;
  /** Booted ahead of its run: it warms the host's set-up code while it waits (guest.ts `warmUp`). */
  spare: boolean;
}

/**
 * Boots a run's worker ahead of time (a spare, see launcher/warm.ts): it loads the runtime and then
 * waits for a run's configuration, so `startRun` given it skips the boot. Terminate it if unused.
 */
export function bootWorker(spare = true): Worker {
  // Loaded here, not at import: a run on the command's own thread never needs it (~3 ms at start).
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const workerData: WorkerData = { hostCallsVerdict, resourcesPath: (process as { resourcesPath?: string }).resourcesPath, spare };
  return new Worker(workerEntry(), { stdout: false, stderr: false, workerData });
}

/** The module each primed spare holds an instance of (main's object: the same one, not a copy). */
const primedWith = new WeakMap<Worker, Program>();

/**
 * Has the spare `worker` (from `bootWorker`, given no run yet) instantiate `module` now, ahead of its
 * run: a run of that same module object started in it skips instantiating (flite: copying its
 * 17 MB of data). Only a module that runs no code when instantiated (load.ts `instantiatesInert`);
 * returns whether it was sent. The instance's imports are bound to the run's own configuration
 * (grants, args, env, stdio) when the run starts, never before (guest.ts `primeInstance`).
 */
export function primeWorker(worker: Worker, module: Program): boolean {
  if (!instantiatesInert(module) || primedWith.has(worker)) return false;
  worker.postMessage({ prime: module as WebAssembly.Module } satisfies PrimeMessage);
  primedWith.set(worker, module);
  return true;
}

/** What `loadInWorker` asks of a spare: `LoadMessage`'s. */
export type LoadRequest = LoadMessage['load'];

/** A stored module that could not be read or proven (missing, or changed on disk): `loadInWorker`'s refusal. */
export class ModuleReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleReadError';
  }
}

/**
 * Has the spare `worker` (from `bootWorker`, given no run yet) read, prove and compile the stored
 * module `request` names (worker-protocol.ts `LoadMessage`, warm-runs.md round 10): this thread
 * neither reads nor compiles it. Resolves to the compiled module (this thread's structured clone,
 * sharing V8's compiled code), which the worker has instantiated ahead of its run when it runs no
 * code by being instantiated (as `primeWorker`'s), and the stat `signature` to record, if any; and
 * how long the worker took (ms). Rejects with a `ModuleReadError` (missing or changed file), a
 * `LoadError` (not a runnable module), or an `Error` if the worker ends first.
 */
export function loadInWorker(worker: Worker, request: LoadRequest): Promise<{ module: WebAssembly.Module; signature?: string; ms: { read: number; compile: number; readCpu: number; compileCpu: number }; hashed: boolean }> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: WorkerMessage): void => {
      if (m.type !== 'loaded' && m.type !== 'load-failed') return;
      done();
      if (m.type === 'load-failed') return reject(m.read ? new ModuleReadError(m.message) : new LoadError(m.message));
      if (m.inert) {
        noteInert(m.module);
        primedWith.set(worker, m.module);
      }
      resolve({ module: m.module, signature: m.signature, ms: m.ms, hashed: m.hashed });
    };
    const onExit = (): void => {
      done();
      reject(new Error('the worker loading the module ended'));
    };
    const done = (): void => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      worker.off('error', onExit);
    };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    worker.on('error', onExit);
    worker.postMessage({ load: request } satisfies LoadMessage);
  });
}

/** The module spare `worker` was primed with and no run has taken yet (diagnostics, tests). */
export function primedModule(worker: Worker): Program | undefined {
  return primedWith.get(worker);
}

/**
 * Preopen `p` as a worker gets it: a folder handed over open (`hostFd`, opened on this thread by
 * `terrarium run --dir`, shared/folder-pin.ts `openNamed`) is closed here and the worker opens its
 * pin again, as it does a grant's (the pin was made from that descriptor, so the walk checks the
 * same folder). Node warns on stderr when a worker closes a descriptor this thread opened
 * ("closed but not opened in unmanaged mode"), and the run's output would no longer be the app's alone.
 */
function reopenedInWorker(p: Preopen): Preopen {
  if (p.hostFd === undefined) return p;
  fs.closeSync(p.hostFd);
  return { ...p, hostFd: undefined };
}

/**
 * Starts `spec` in a worker thread: `booted`, a worker from `bootWorker` that has run nothing yet
 * (the run owns it from here), or a new one.
 */
export function startRun(spec: RunSpec, booted?: Worker): RunHandle {
  if (spec.sameThread) {
    void booted?.terminate(); // a same-thread run needs no worker
    return startSameThread(spec, (s) => startRun({ ...s, sameThread: false }));
  }
  const preopens = spec.preopens.map(reopenedInWorker);
  const stdinBufs = createRing(STDIN_RING);
  const outBufs = createRing(OUTPUT_RING);
  const stdin = new Ring(stdinBufs);
  const out = new Ring(outBufs);
  const config: Omit<WorkerConfig, 'module'> = {
    args: spec.args,
    env: spec.env.map(([k, v]) => `${k}=${v}`),
    preopens,
    stdioTypes: spec.stdioTypes ?? [Filetype.character_device, Filetype.character_device, Filetype.character_device],
    stdin: stdinBufs,
    output: outBufs,
    memoryMaxBytes: spec.memoryMaxBytes,
    stdinFd: spec.stdinFd,
    askBuffer: spec.preopens.some((p) => p.ask) ? createAskBuffer() : undefined,
    revoked: new SharedArrayBuffer(4 * Math.max(1, spec.preopens.length)),
    readOnlyDirs: [
      ...spec.preopens.flatMap((p) => (p.readOnly && p.pin ? [identityKey(p.pin.dev, p.pin.ino)] : [])),
      ...(spec.readOnlyDirs ?? []),
    ],
    nativeFds: createLedger(),
    hostCallsGuard: createLoadGuard(),
  };
  const revoked = new Int32Array(config.revoked);
  // The run's allow answers, by operation and path: the worker caches them too, and asks again
  // after forgetAnswers; these answer it without asking the person twice.
  const allowedAnswers = new Map<string, [AskOperation, string]>();
  const worker = booted ?? bootWorker(false);
  let ended: RunOutcome | undefined;
  let settle!: (o: RunOutcome) => void;
  const done = new Promise<RunOutcome>((r) => { settle = r; });
  let timer: NodeJS.Timeout | undefined;

  // Everything a guest wrote before it asks is delivered before the question is put, so output
  // queued ahead of a prompt cannot land on top of it (issue 9, point 4).
  const idle: (() => void)[] = [];
  const delivered = (): Promise<void> => (out.available() === 0 ? Promise.resolve() : new Promise((r) => idle.push(r)));
  const drained = drain(out, spec.onOutput, spec.backpressure, idle);
  const finish = (o: RunOutcome): void => {
    if (ended) return;
    ended = o;
    if (timer) clearTimeout(timer);
    out.close();
    stdin.close();
    // Settled only once the worker's thread is gone as well: a process that exits while a worker
    // isolate is still being torn down (its background wasm compilation included) can hang in
    // Node's exit handler, seen as a CLI run that never returned.
    const gone = terminateWhenSafe(config.hostCallsGuard).then(() => worker.terminate()).then(() => undefined, () => undefined);
    void Promise.all([drained, gone]).then(() => settle(o));
  };
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'loaded' || m.type === 'load-failed') return; // `loadInWorker`'s
    if (m.type === 'log') spec.onLog?.(m.message, m.detail);
    else if (m.type === 'stale') {
      const p = spec.preopens[m.index]!;
      if (spec.onStale) spec.onStale(p, m.reason);
      else spec.onLog?.(`the folder ${p.hostPath} (seen as ${p.guestPath}) was left out: ${m.reason}`);
    } else if (m.type === 'ask') {
      const buffer = config.askBuffer!;
      const key = `${m.operation}\0${m.path}`;
      if (allowedAnswers.has(key)) return answerAsk(buffer, true);
      const decide = spec.onAsk ?? (() => Promise.resolve(false));
      void delivered().then(() => decide(m.operation, m.path)).then((a) => {
        if (a) allowedAnswers.set(key, [m.operation, m.path]);
        answerAsk(buffer, a);
      }, () => answerAsk(buffer, false));
    } else if (m.type === 'exit') finish({ kind: 'exit', code: m.code });
    else finish({ kind: 'trap', message: m.message, memoryAtCap: m.memoryAtCap });
  });
  worker.on('error', (err) => finish({ kind: 'crash', message: err.message }));
  worker.on('exit', () => {
    closeLeftovers(config.nativeFds);
    finish({ kind: 'crash', message: 'the run ended unexpectedly' });
  });
  const configure = (module: Program): void => {
    if (ended) return;
    const primed = primedWith.get(worker) === module;
    primedWith.delete(worker);
    worker.postMessage({ ...config, module, primed } satisfies WorkerConfig);
    // setTimeout fires at once past 2^31-1 ms, so longer limits are held at ~24.8 days.
    if (spec.timeoutMs !== undefined) timer = setTimeout(() => finish({ kind: 'timeout' }), Math.min(spec.timeoutMs, MAX_TIMER_MS));
  };
  // A module at hand (the window's cache) goes to the worker now, not a microtask later.
  if (spec.module instanceof Promise) {
    spec.module.then(configure, (err: unknown) => finish({ kind: 'load-error', message: err instanceof Error ? err.message : String(err) }));
  } else configure(spec.module);

  let stdinChain = Promise.resolve();
  return {
    done,
    writeStdin(data) {
      stdinChain = stdinChain.then(() => feed(stdin, data));
      return stdinChain;
    },
    endStdin() {
      stdinChain = stdinChain.then(() => stdin.close());
    },
    cancel() {
      finish({ kind: 'cancelled' });
    },
    revoke(index) {
      if (index >= 0 && index < spec.preopens.length) Atomics.store(revoked, index, 1);
    },
    forgetAnswers(covers) {
      let forgot = false;
      for (const [key, [operation, hostPath]] of allowedAnswers) {
        if (covers(operation, hostPath)) {
          allowedAnswers.delete(key);
          forgot = true;
        }
      }
      if (forgot && config.askBuffer) takeBackAnswers(config.askBuffer);
    },
  };
}

async function feed(ring: Ring, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length && !ring.closed) {
    const seq = ring.readSeq();
    const n = ring.tryWrite(data.subarray(off));
    off += n;
    if (n === 0) await ring.waitRead(seq);
  }
}

/**
 * Delivers the output ring's records until it is closed and empty; calls `idle` whenever it is empty.
 * Consecutive records of one stream go out as one chunk (a guest's many small writes become a few
 * large ones for the consumer: the terminal, the CLI's own stdout), their payloads copied straight
 * from the ring into a pooled buffer (output-pool.ts): one copy per byte, no buffer made per batch.
 */
async function drain(ring: Ring, onOutput: RunSpec['onOutput'], backpressure: RunSpec['backpressure'], idle: (() => void)[]): Promise<void> {
  const pool = new OutputPool(OUTPUT_RING);
  let sinceYield = 0;
  for (;;) {
    const seq = ring.writeSeq();
    // What is there now, a chunk per run of one stream's records (a record fits a fresh buffer:
    // the ring is no larger), then backpressure.
    const avail = ring.available();
    let n = 0;
    for (let tag = ring.nextTag(); tag >= 0 && n < avail; tag = ring.nextTag()) {
      const buf = pool.take();
      const end = ring.readRecords(tag, buf, 0);
      n += end + 4;
      pool.lend(buf, end, (data) => {
        if (data.length > 0) onOutput(tag === 2 ? 2 : 1, data);
      });
    }
    if (n > 0) {
      const wait = backpressure?.();
      if (wait) await wait;
      // A flooding guest must not starve the event loop (timers, cancel, other runs).
      sinceYield += n;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r));
      }
      continue;
    }
    for (const settle of idle.splice(0)) settle();
    if (ring.closed) return;
    await ring.waitWritten(seq);
  }
}
