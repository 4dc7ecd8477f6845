/**
 * Preparing a run of an installed app: its module re-checked against the recorded hash, its
 * policy from the stored grants, the run recorded before it starts and when it ends.
 */
import type { Library } from '../library/library.ts';
import type { AppRecord } from '../library/types.ts';
import { type ComponentSource, loadCommand } from '../runtime/load.ts';
import type { Program, TranspiledFiles } from '../runtime/p2/program.ts';
import type { AskOperation } from '../runtime/ask.ts';
import type { Preopen, RunHandle, RunOutcome } from '../runtime/run.ts';
import path from 'node:path';
import { isChange } from '../runtime/ask.ts';
import { type Prompter, type Question, decider, readOnlyGrantAround } from './asking.ts';
import { statusOptions } from './grant-status.ts';
import { type Policy, policyFor } from './policy.ts';
import { followRevocations } from './revocation.ts';
import type { ModuleCache } from './warm.ts';
import { startTrace } from './start-trace.ts';
import { hostLog } from './host-log.ts';
import type { Worker } from 'node:worker_threads';
import { ModuleReadError, loadInWorker } from '../runtime/run.ts';

/**
 * Hands a module's load to a booted spare (launcher/spares.ts `loadIn`): `start(worker)` asks that
 * worker and returns the module to be; undefined when no spare fits (the main thread's path then).
 */
export type LoadInSpare = (start: (worker: Worker) => Promise<Program>) => Promise<Program> | undefined;

/** A run about to start. */
export interface PreparedRun {
  app: AppRecord;
  policy: Policy;
  /** argv, argv[0] being the app's name. */
  args: string[];
  module: Promise<Program>;
  runId: number;
  /** The folders the run gets: its grants, plus ask mode's root (see runtime/ask.ts). */
  preopens: Preopen[];
  /** The run's `onAsk`: decides accesses outside the grants with `prompter` (null: no UI, deny). */
  onAsk(
    prompter: Prompter | null, onDenied?: (q: Question) => void, oneTimeFiles?: ReadonlySet<string>, onNotKept?: (q: Question, why: string) => void,
  ): (op: AskOperation, hostPath: string) => Promise<boolean>;
  /**
   * Keeps the started run (`handle`, started with `preopens`) in step with revocations made in
   * any Terrarium process until it ends (launcher/revocation.ts).
   */
  follow(handle: RunHandle, preopens: readonly Preopen[]): void;
  /** Records how the run ended. */
  finish(outcome: RunOutcome, bytesOut: number): void;
}

/**
 * Where the run of `app` finds its component's stored output for the WASI 0.2 host, and the hook
 * that stores one the run had to transpile (issue 15): with the library once `module` has resolved,
 * i.e. once the bytes it was made from passed the hash check. A failure to store loses nothing
 * (the next run transpiles again) and goes to Terrarium's log.
 */
function componentSource(lib: Library, app: AppRecord): { source: ComponentSource; keep(module: Promise<Program>): void } {
  let made: { files: TranspiledFiles; ms: number } | undefined;
  return {
    source: {
      stored: () => lib.transpiled(app),
      made: (files, ms) => {
        made = { files, ms };
      },
    },
    keep: (module) => module.then(() => {
      if (made === undefined) return;
      try {
        lib.storeTranspiled(app, made.files, made.ms);
      } catch (err) {
        hostLog(lib.home, `run ${app.name}`).write(`could not store the transpiled component (it is transpiled again next run): ${(err as Error).message}`);
      }
      made = undefined;
    }, () => undefined),
  };
}

/**
 * `app`'s compiled module capped at `memoryMaxBytes`, from `modules`; not there, it is read, proven
 * and compiled by a spare worker (`inSpare`, a preview1 app's only: warm-runs.md round 10), else
 * read in the background on this thread.
 */
function cachedModule(
  lib: Library, app: AppRecord, memoryMaxBytes: number | undefined, modules: ModuleCache, component?: ComponentSource, inSpare?: LoadInSpare,
): Promise<Program> {
  return modules.load(app.sha256, lib.store.pathOf(app.sha256), memoryMaxBytes, () => {
    const module = app.kind === 'preview1' ? inSpare?.((worker) => loadedInWorker(lib, app, memoryMaxBytes, worker)) : undefined;
    return module !== undefined ? { module } : lib.moduleBytesInBackground(app);
  }, component);
}

/**
 * `app`'s module read, proven and compiled by `worker` (runtime `loadInWorker`): its signature
 * recorded as a run's read records one, a missing or changed file refused as `moduleBytes` refuses it.
 */
async function loadedInWorker(lib: Library, app: AppRecord, memoryMaxBytes: number | undefined, worker: Worker): Promise<Program> {
  try {
    const r = await loadInWorker(worker, { ...lib.moduleToLoad(app), memoryMaxBytes });
    startTrace.mark?.(`module read, checked and compiled in its worker (read ${r.hashed ? 'and hashed ' : ''}${r.ms.read.toFixed(1)} ms, compile ${r.ms.compile.toFixed(1)} ms; the worker's CPU ${r.ms.readCpu.toFixed(1)} + ${r.ms.compileCpu.toFixed(1)} ms)`);
    lib.moduleProven(app, r.signature);
    return r.module;
  } catch (err) {
    throw err instanceof ModuleReadError ? lib.moduleRefused(app, err) : err;
  }
}

/**
 * The compiled module the next run of the preview1 app `app` would get, put in `modules` now (the
 * window's idle time: warm-runs.md), with the memory cap of its grants as they are now; nothing is
 * recorded or pinned. The run itself asks `modules` again, so a changed file or cap is read and compiled anew.
 * Undefined for a component (its run may need the transpiler).
 */
export function warmModule(lib: Library, app: AppRecord, modules: ModuleCache, inSpare?: LoadInSpare): Promise<Program> | undefined {
  if (app.kind !== 'preview1') return undefined;
  const module = cachedModule(lib, app, policyFor(lib.grants(app.id), process.env).memoryMaxBytes, modules, undefined, inSpare);
  module.catch(() => undefined); // the run reports it, if it comes
  return module;
}

/**
 * Prepares and records the start of a run of app `ref` with `extraArgs` after its default ones;
 * its compiled module comes from `modules` when it holds it (the window's warm runs).
 */
export function prepareRun(lib: Library, ref: string, extraArgs: string[], modules?: ModuleCache, inSpare?: LoadInSpare): PreparedRun {
  const app = lib.app(ref);
  // The revision before the grants: a revoke committed after this read is seen by `follow` (its
  // first check compares against it), whether or not the grants below already lack what it took.
  const revision = lib.revision(app.id);
  const policy = policyFor(lib.grantsOf(app.id), process.env, statusOptions(lib));
  const args = [app.name, ...policy.defaultArgs, ...extraArgs];
  const component = componentSource(lib, app);
  const module = modules
    ? cachedModule(lib, app, policy.memoryMaxBytes, modules, component.source, inSpare)
    : loadCommand(lib.moduleBytes(app), policy.memoryMaxBytes, component.source);
  component.keep(module);
  module.catch(() => undefined); // reported through the run's outcome
  const runId = lib.runStarted(app, args.slice(1), [...policy.grantIds]);
  // The ask root: the host's folders under their own names, every ungranted access asked about.
  // (Windows drives as /c/... are not mapped yet, so there ask mode falls back to grants only.)
  // Read-only folder grants made read & write for good by an answer to this run (runtime/upgrade.ts).
  const widened = new Set<number>();
  const askRoot: Preopen[] = process.platform === 'win32' ? [] : [{ hostPath: '/', guestPath: '/', readOnly: false, ask: true }];
  return {
    app, policy, args, module, runId,
    preopens: [...policy.preopens, ...askRoot],
    onAsk(prompter, onDenied, oneTimeFiles, onNotKept) {
      const decide = decider(lib, app, runId, prompter, onDenied, oneTimeFiles, onNotKept);
      return async (op, hostPath) => {
        // A read-only folder the person widened for good: narrowed again, the run loses it.
        const grows = isChange(op) ? readOnlyGrantAround(lib, app.id, path.resolve(hostPath)) : undefined;
        const allowed = await decide(op, hostPath);
        if (allowed && grows && lib.grants(app.id).some((g) => g.id === grows.grantId && g.kind === 'folder' && g.access === 'read-write')) widened.add(grows.grantId);
        return allowed;
      };
    },
    follow: (handle, preopens) => followRevocations(lib, app.id, handle, preopens, widened, revision),
    finish(outcome, bytesOut) {
      lib.runEnded(runId, outcome.kind, outcome.kind === 'exit' ? outcome.code : null, bytesOut);
    },
  };
}
