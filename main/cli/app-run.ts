/** `terrarium run APP [-- ARGS]`: runs an installed app with exactly its stored grants. */
import { prepareRun } from '../launcher/launch.ts';
import { Library } from '../library/library.ts';
import { type Question, grantFolderFor } from '../launcher/asking.ts';
import { limitHints } from './hint-limit.ts';
import { staleNotice } from '../launcher/grant-status.ts';
import { promptSafe } from '../launcher/prompt-text.ts';
import { runPrompter } from '../launcher/run-answers.ts';
import { runInTerminal } from './run-command.ts';
import { ttyPrompter } from './tty-prompt.ts';
import { withAppSuggestion } from './suggest.ts';
import { visible } from '../../preload/safe-text.ts';

/** Runs app `ref`; resolves to the process exit code. */
export async function runApp(ref: string, args: string[]): Promise<number> {
  const lib = Library.open();
  try {
    let run: ReturnType<typeof prepareRun>;
    try {
      run = prepareRun(lib, ref, args);
    } catch (err) {
      throw withAppSuggestion(err, ref, () => lib.list({}).map((a) => a.name), visible);
    }
    const ask = ttyPrompter();
    let stop = (): void => undefined;
    const hints = limitHints((q: Question) => {
      const folder = grantFolderFor(q.operation, q.path);
      process.stderr.write(`terrarium: denied ${q.appName} ${q.operation} ${promptSafe(q.path)} (no terminal to ask on; to allow it: terrarium grant ${q.appName} --dir ${promptSafe(folder)})\n`);
    });
    const stale = (s: Parameters<typeof staleNotice>[1]): void => {
      process.stderr.write(`terrarium: ${promptSafe(staleNotice(run.app.name, s), 2000)}\n`);
    };
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
      onAsk: run.onAsk(ask && runPrompter(ask, () => stop()), (q) => hints.say(q), undefined, (q, why) => {
        process.stderr.write(`terrarium: allowed once, not remembered: ${promptSafe(why)}\n`);
      }),
      readOnlyDirs: run.policy.readOnlyDirs,
      // The folder was replaced between the check above and the worker's own open of it.
      onStale: (p, reason) => {
        const g = lib.grants(run.app.id).find((x) => x.id === p.grantId);
        const host = g?.kind === 'folder' ? g.host : p.hostPath;
        const access = g?.kind === 'folder' ? g.access : p.readOnly ? 'read' : 'read-write';
        stale({ grantId: p.grantId, host, guest: p.guestPath, access, reason });
      },
    });
    run.finish(result.outcome, result.bytesOut);
    if (hints.skipped > 0) process.stderr.write(`terrarium: ${hints.skipped} more denials not shown; see: terrarium audit ${run.app.name}\n`);
    return result.exitCode;
  } finally {
    lib.close();
  }
}
