/**
 * The worker thread of one run: waits for the frozen configuration, then runs the guest
 * (guest.ts) with its stdio through the rings. Host functions run here, synchronously; the main
 * thread is never blocked by a guest. A spare says when it has booted (`SPARE_BOOTED_CHANNEL`) and may
 * first be primed (and says when that is done, on the same channel): its run's module instantiated before the configuration (run.ts `primeWorker`),
 * bound to the configuration when it comes. A spare may instead be asked to load its run's module
 * (`LoadMessage`, warm-runs.md round 10): read, proven and compiled here, posted back to the main
 * thread's cache, and instantiated as a primed one is.
 */
import { BroadcastChannel, parentPort, threadId, workerData } from 'node:worker_threads';
import { type PrimedInstance, primeInstance, runGuest, warmRun, warmUp } from './guest.ts';
import { Ring } from './ring.ts';
import { GuestStdio } from './stdio.ts';
import { guardLoading } from './host-calls/index.ts';
import { useThreadData } from './host-calls/thread-data.ts';
import { type LoadMessage, type PrimeMessage, SPARE_BOOTED_CHANNEL, type WorkerConfig, type WorkerMessage } from './worker-protocol.ts';
import type { WorkerData } from './run.ts';
import { instantiatesInert, loadCommand } from './load.ts';
import { binaryKind } from '../wasm/component.ts';
import { readModuleChecked } from '../shared/module-check.ts';
import { releaseBytes } from '../shared/release-bytes.ts';

useThreadData(workerData);
let primed: PrimedInstance | undefined;
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);

/** Instantiates `module` ahead of its run (see the file's comment) and says so; a failure is the run's to report. */
function prime(module: WebAssembly.Module): void {
  primed = undefined;
  try {
    primed = primeInstance(module);
    try {
      warmRun(module); // its run's first steps, once, before the click
    } catch {
      // Only a warm-up: the run does the same for real and reports what fails.
    }
    // Its instance is ready: a run given it now starts at once (launcher/spares.ts).
    const said = new BroadcastChannel(SPARE_BOOTED_CHANNEL);
    said.postMessage({ threadId, primed: true });
    said.close();
  } catch {
    // The run instantiates anew and reports why that fails, if it does.
  }
}

/**
 * A `LoadMessage`: the stored module read in one synchronous read (this thread has nothing else to
 * do), proven by the one rule (shared/module-check.ts) before anything else is done with it, then
 * compiled here (V8 copies the bytes on this thread, not main's), posted back, and instantiated
 * ahead of its run when it runs no code by being instantiated.
 */
function load(m: LoadMessage['load']): void {
  const t0 = performance.now();
  const c0 = process.threadCpuUsage();
  let read: ReturnType<typeof readModuleChecked>;
  try {
    read = readModuleChecked(m.file, m.sha256, m.recorded);
  } catch (err) {
    post({ type: 'load-failed', read: true, message: (err as Error).message });
    return;
  }
  const t1 = performance.now();
  const c1 = process.threadCpuUsage();
  const { bytes, signature, hashed } = read;
  // The window asks this only of a preview1 app's module; a component stays on the main thread's path.
  const compiled = binaryKind(bytes) === 'component'
    ? Promise.reject(new Error('a component is not loaded in its run\'s worker'))
    : loadCommand(bytes, m.memoryMaxBytes, undefined, true);
  compiled.then((module) => {
    releaseBytes(bytes); // V8 keeps its own copy
    if (!(module instanceof WebAssembly.Module)) throw new Error('not a preview1 module');
    const inert = instantiatesInert(module);
    const c2 = process.threadCpuUsage();
    const cpu = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number => (b.user + b.system - a.user - a.system) / 1000;
    post({ type: 'loaded', module, inert, signature, ms: { read: t1 - t0, compile: performance.now() - t1, readCpu: cpu(c0, c1), compileCpu: cpu(c1, c2) }, hashed });
    if (inert) prime(module);
  }).catch((err: unknown) => post({ type: 'load-failed', read: false, message: err instanceof Error ? err.message : String(err) }));
}

// The worker starts booting before the module is compiled; its configuration follows as a message.
const config = await new Promise<WorkerConfig>((resolve) => {
  const onMessage = (m: WorkerConfig | PrimeMessage | LoadMessage): void => {
    if ('load' in m) return load(m.load);
    if (!('prime' in m)) {
      parentPort!.off('message', onMessage);
      resolve(m);
      return;
    }
    prime(m.prime);
  };
  parentPort!.on('message', onMessage);
  if ((workerData as WorkerData).spare) {
    warmUp(); // a run's own worker has its configuration waiting
    const booted = new BroadcastChannel(SPARE_BOOTED_CHANNEL);
    booted.postMessage({ threadId });
    booted.close();
    // The runtime's script cache, when it had none (the bundle: compile-cache.js; once per build).
    const saveCache = (globalThis as unknown as Record<symbol, (() => void) | undefined>)[Symbol.for('terrarium.worker-booted')];
    if (saveCache) setImmediate(saveCache);
  }
});
guardLoading(config.hostCallsGuard);
await runGuest(config, new GuestStdio(new Ring(config.stdin), new Ring(config.output), config.stdinFd), post, undefined, undefined, config.primed === true ? primed : undefined);
