/**
 * A run on the caller's own thread, for the `terrarium` command: a worker thread takes ~40 ms to
 * boot on a 2-core machine (as long as `node:wasi` takes for a whole hello run), and a CLI run that
 * needs nothing from its main thread meanwhile need not pay it. The guest then blocks this thread,
 * so it is chosen only when nothing must happen beside it: no question can come (a question needs
 * the thread free to put it: only path functions and `fd_readdir` ask, through an ask folder), and
 * stdin is either a host fd read directly or never read by the module. A component (the WASI 0.2
 * host) runs here on the same terms, its bindings loaded before its synchronous run.
 * Otherwise the run goes to a worker as usual (run.ts).
 *
 * The time limit and Ctrl+C stay: the guest runs inside `vm`'s watchdog (`timeout`,
 * `breakOnSigint`), which stops JavaScript and WebAssembly alike, also in a sleep (`Atomics.wait`
 * wakes for it). Output goes to `onOutput` at each write, in order; a consumer that cancels the run
 * (its reader gone) ends the guest at its next write.
 */
import vm from 'node:vm';
import { Filetype, RIGHTS_DIRECTORY, Rights } from './abi.ts';
import { ProcExit } from './errors.ts';
import { createLedger } from './host-calls/fd-ledger.ts';
import { createLoadGuard } from './host-calls/load-guard.ts';
import { identityKey } from '../shared/folder-pin.ts';
import { createRing } from './ring.ts';
import type { RunHandle, RunOutcome, RunSpec } from './run.ts';
import { DirectStdio } from './stdio.ts';
import type { WorkerConfig, WorkerMessage } from './worker-protocol.ts';
import { type Program, componentReach, isComponentProgram } from './p2/program.ts';
import type { LoadedComponent } from './p2/run-component.ts';

const MAX_TIMER_MS = 2 ** 31 - 1;
const GUEST_KEY = Symbol.for('terrarium.sameThreadGuest');
/** Calls the function stored under GUEST_KEY: the code `vm` runs, and may stop. */
const callGuest = new vm.Script('globalThis[Symbol.for("terrarium.sameThreadGuest")]()', { filename: 'terrarium:guest' });

/**
 * True when `module` may run on the caller's thread under `spec` (see above); a component by
 * what its bindings may call (p2/program.ts, componentReach). The environment variable
 * `TERRARIUM_SAME_THREAD=0` turns it off (tests run both ways).
 */
export function fitsSameThread(spec: RunSpec, module: Program): boolean {
  if (process.env.TERRARIUM_SAME_THREAD === '0' || spec.backpressure !== undefined) return false;
  const { asks, reads, folders } = isComponentProgram(module) ? componentReach(module) : moduleReach(module);
  // An app run always has an ask folder (launcher/launch.ts); a module that cannot reach it never asks.
  if (asks && spec.preopens.some((p) => p.ask)) return false;
  // A grant can be revoked while the run goes on (launcher/revocation.ts), and only a free thread
  // hears it: the guest here holds this one to the end. A module that can reach a granted folder
  // runs where the revocation reaches it at its next access (DESIGN §3.1).
  if (folders && spec.preopens.some((p) => p.grantId !== undefined)) return false;
  return spec.stdinFd !== undefined || !reads;
}

/**
 * Whether preview1 module `module` may ask (path functions, `fd_readdir`), may read stdin, and may
 * reach a preopened folder: a path function, or a call a folder descriptor has the right to make
 * (abi.ts RIGHTS_DIRECTORY: its times, its stat, its listing, sync, advice, flags). What else it
 * may call on a folder descriptor only reads or narrows the run's own table (fdstat, prestat,
 * close, renumber) or is refused for a folder (byte calls, seek).
 */
function moduleReach(module: WebAssembly.Module): { asks: boolean; reads: boolean; folders: boolean } {
  const names = WebAssembly.Module.imports(module).map((i) => i.name);
  return {
    asks: names.some((n) => n.startsWith('path_') || n === 'fd_readdir'),
    reads: names.some((n) => n === 'fd_read' || n === 'poll_oneoff'),
    folders: names.some((n) => n.startsWith('path_') || (Object.hasOwn(Rights, n) && (Rights[n as keyof typeof Rights] & RIGHTS_DIRECTORY) !== 0)),
  };
}

let guestLoad: Promise<typeof import('./guest.ts')> | undefined;
/** The guest's modules, loaded at the first need (a window that never runs here never loads them). */
const loadGuest = (): Promise<typeof import('./guest.ts')> => (guestLoad ??= import('./guest.ts'));

/**
 * True when `spec`'s module, run with a pipe (or socket) as its stdin, may read that pipe itself
 * from host fd `stdinFd` on this thread instead of being fed through a worker's stdin ring: it
 * fits here, no time limit must cut a read short (vm's watchdog cannot end a blocked system call;
 * Ctrl+C can: the read fails with EINTR), and it does not import `poll_oneoff` (which would call
 * the pipe readable before it is: DirectStdio.waitReadable). Resolves once the module is compiled
 * (false when it cannot be); the guest's modules load meanwhile.
 */
export async function fitsPipeStdin(spec: RunSpec): Promise<boolean> {
  if (spec.timeoutMs !== undefined) return false;
  void loadGuest();
  const module = await Promise.resolve(spec.module).catch(() => undefined);
  if (module === undefined || !fitsSameThread({ ...spec, stdinFd: 0 }, module)) return false;
  // The 0.2 host's stream pollables never ask the stdin (ready at once: the read blocks, as in a worker).
  return isComponentProgram(module) || !WebAssembly.Module.imports(module).some((i) => i.name === 'poll_oneoff');
}

/**
 * Starts `spec` on this thread once its module is compiled when it fits (fitsSameThread), and
 * through `inWorker` otherwise; the handle is the same either way.
 */
export function startSameThread(spec: RunSpec, inWorker: (spec: RunSpec) => RunHandle): RunHandle {
  let target: RunHandle | undefined;
  let cancelled = false;
  let stopped: RunOutcome | undefined;
  const revoked = new SharedArrayBuffer(4 * Math.max(1, spec.preopens.length));
  const pending: ((h: RunHandle) => void)[] = [];
  const later = (op: (h: RunHandle) => void): void => {
    if (target) op(target);
    else pending.push(op);
  };

  const guest = loadGuest(); // while the module compiles
  const runHere = (module: Program, runGuest: typeof import('./guest.ts').runGuest, component?: LoadedComponent): RunOutcome => {
    const config: WorkerConfig = {
      module,
      args: spec.args,
      env: spec.env.map(([k, v]) => `${k}=${v}`),
      preopens: spec.preopens,
      stdioTypes: spec.stdioTypes ?? [Filetype.character_device, Filetype.character_device, Filetype.character_device],
      stdin: createRing(0),
      output: createRing(0),
      memoryMaxBytes: spec.memoryMaxBytes,
      stdinFd: spec.stdinFd,
      revoked,
      readOnlyDirs: [
        ...spec.preopens.flatMap((p) => (p.readOnly && p.pin ? [identityKey(p.pin.dev, p.pin.ino)] : [])),
        ...(spec.readOnlyDirs ?? []),
      ],
      nativeFds: createLedger(),
      hostCallsGuard: createLoadGuard(),
    };
    let outcome: RunOutcome = { kind: 'crash', message: 'the run ended without an outcome' };
    const post = (m: WorkerMessage): void => {
      if (m.type === 'log') spec.onLog?.(m.message, m.detail);
      else if (m.type === 'stale') {
        const p = spec.preopens[m.index]!;
        if (spec.onStale) spec.onStale(p, m.reason);
        else spec.onLog?.(`the folder ${p.hostPath} (seen as ${p.guestPath}) was left out: ${m.reason}`);
      } else if (m.type === 'exit') outcome = { kind: 'exit', code: m.code };
      else if (m.type === 'trap') outcome = { kind: 'trap', message: m.message, memoryAtCap: m.memoryAtCap };
    };
    const output = (stream: 1 | 2, data: Uint8Array): boolean => {
      if (cancelled) throw new ProcExit(0); // unwinds the guest; the outcome says cancelled
      spec.onOutput(stream, data);
      if (cancelled) throw new ProcExit(0);
      return true;
    };
    const timeout = spec.timeoutMs === undefined ? undefined : Math.max(1, Math.min(Math.ceil(spec.timeoutMs), MAX_TIMER_MS));
    const start = (guestStart: () => void): void => {
      (globalThis as Record<symbol, unknown>)[GUEST_KEY] = guestStart;
      try {
        callGuest.runInThisContext({ timeout, breakOnSigint: true });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') stopped = { kind: 'timeout' };
        else if (code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') stopped = { kind: 'cancelled' };
        throw err;
      } finally {
        delete (globalThis as Record<symbol, unknown>)[GUEST_KEY];
      }
    };
    const stdio = new DirectStdio(output, spec.stdinFd, spec.holdOutput);
    try {
      runGuest(config, stdio, post, start, component);
      // What the guest wrote last is delivered whatever ended it (unless its reader is gone).
      if (!cancelled) stdio.flush();
    } catch (err) {
      if (err instanceof ProcExit && cancelled) return { kind: 'cancelled' };
      return { kind: 'crash', message: err instanceof Error ? err.message : String(err) };
    }
    if (cancelled) return { kind: 'cancelled' };
    return stopped ?? outcome;
  };

  const done = Promise.all([spec.module, guest]).then(
    async ([module, { runGuest }]): Promise<RunOutcome> => {
      if (cancelled) return { kind: 'cancelled' };
      if (!fitsSameThread(spec, module)) {
        target = inWorker({ ...spec, module });
        for (const op of pending.splice(0)) op(target);
        return target.done;
      }
      if (!isComponentProgram(module)) return runHere(module, runGuest);
      // A component's bindings load (asynchronously) before its run, which is then synchronous.
      let component: LoadedComponent;
      try {
        component = await (await import('./p2/run-component.ts')).loadComponent(module);
      } catch (err) {
        return { kind: 'trap', message: err instanceof Error ? err.message : String(err), memoryAtCap: false };
      }
      return cancelled ? { kind: 'cancelled' } : runHere(module, runGuest, component);
    },
    (err: unknown): RunOutcome => ({ kind: 'load-error', message: err instanceof Error ? err.message : String(err) }),
  );

  return {
    done,
    writeStdin(data) {
      if (target) return target.writeStdin(data);
      return new Promise((resolve) => later((h) => void h.writeStdin(data).then(resolve)));
    },
    endStdin() {
      later((h) => h.endStdin());
    },
    cancel() {
      cancelled = true;
      target?.cancel();
    },
    revoke(index) {
      if (index >= 0 && index < spec.preopens.length) Atomics.store(new Int32Array(revoked), index, 1);
      later((h) => h.revoke(index));
    },
    forgetAnswers(covers) {
      later((h) => h.forgetAnswers(covers));
    },
  };
}
