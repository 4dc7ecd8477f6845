/**
 * `terrarium run APP` in the core: an installed app run with exactly its stored grants on this
 * process's stdio (./terminal-run.ts), the run recorded in the library, accesses outside the
 * grants decided as in the window (launcher/asking.ts) and asked through the terminal's own
 * prompter. Loaded with the CLI's `run APP` only, so a module file's run never opens SQLite. The
 * library is opened for the run only (`Library.openForRun`: no sweep, and a close that leaves the
 * WAL to the next full open, so recording the run costs no fsync).
 */
import { type Question, grantFolderFor } from '../launcher/asking.ts';
import { staleNotice } from '../launcher/grant-status.ts';
import { type PreparedRun, prepareRun } from '../launcher/launch.ts';
import { type ChoicePrompter, runPrompter } from '../launcher/run-answers.ts';
import { Library } from '../library/library.ts';
import { type TerminalResult, runInTerminal } from './terminal-run.ts';

/** What an app run needs from the terminal it runs on. */
export interface AppRunUi {
  /** Puts a question to the person; null when there is no terminal to ask on (then ask means deny). */
  prompter: ChoicePrompter | null;
  /** An access denied without asking anybody, and the folder a grant would have to name to allow it. */
  denied(q: Question, folder: string): void;
  /** An "allow always" that allowed once only, and why nothing was remembered. */
  notKept(q: Question, why: string): void;
  /** A granted folder left out of the run, in words (launcher/grant-status.ts `staleNotice`). */
  stale(notice: string): void;
  /** A host error met while running (see TerminalRun.onHostError). */
  hostError?(message: string, logFile: string): void;
  /**
   * The error for an app that could not be prepared (not found, module changed...), given the
   * installed apps' names for a "did you mean"; the error itself when absent.
   */
  prepareFailed?(err: unknown, names: () => string[]): unknown;
}

/** How an app run ended, with the app's name and the limits its grants set (for the outcome's words). */
export interface AppRunResult extends TerminalResult {
  appName: string;
  memoryMaxBytes?: number;
  timeoutMs?: number;
}

/**
 * Runs app `ref` with `args` after its default arguments; the run is recorded (start, end, bytes)
 * like a run from the window. `untilExit`: the process ends with `process.exit` after it (the
 * CLI), which drops the library's connection (Library.openForRun's `untilExit`).
 */
export async function runApp(ref: string, args: string[], ui: AppRunUi, options: { untilExit?: boolean } = {}): Promise<AppRunResult> {
  const lib = Library.openForRun(undefined, options);
  try {
    let run: PreparedRun;
    try {
      run = prepareRun(lib, ref, args);
    } catch (err) {
      throw ui.prepareFailed ? ui.prepareFailed(err, () => lib.list({}).map((a) => a.name)) : err;
    }
    let stop = (): void => undefined;
    const stale = (s: Parameters<typeof staleNotice>[1]): void => ui.stale(staleNotice(run.app.name, s));
    for (const s of run.policy.stale) stale(s);
    const result = await runInTerminal({
      module: run.module,
      args: run.args,
      env: run.policy.env.map(([k, v]) => [k, v]),
      preopens: run.preopens,
      memoryMaxBytes: run.policy.memoryMaxBytes,
      timeoutMs: run.policy.timeoutMs,
      onStart: (handle, preopens) => {
        stop = () => handle.cancel();
        run.follow(handle, preopens);
      },
      onAsk: run.onAsk(
        ui.prompter && runPrompter(ui.prompter, () => stop()),
        (q) => ui.denied(q, grantFolderFor(q.operation, q.path)),
        undefined,
        (q, why) => ui.notKept(q, why),
      ),
      readOnlyDirs: run.policy.readOnlyDirs,
      // The folder was replaced between the check above and the worker's own open of it.
      onStale: (p, reason) => {
        const g = lib.grants(run.app.id).find((x) => x.id === p.grantId);
        const host = g?.kind === 'folder' ? g.host : p.hostPath;
        const access = g?.kind === 'folder' ? g.access : p.readOnly ? 'read' : 'read-write';
        stale({ grantId: p.grantId, host, guest: p.guestPath, access, reason });
      },
      onHostError: ui.hostError,
    });
    run.finish(result.outcome, result.bytesOut);
    return { ...result, appName: run.app.name, memoryMaxBytes: run.policy.memoryMaxBytes, timeoutMs: run.policy.timeoutMs };
  } finally {
    lib.close();
  }
}
