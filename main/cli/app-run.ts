/** `terrarium run APP [-- ARGS]`: runs an installed app with exactly its stored grants. */
import { prepareRun } from '../launcher/launch.ts';
import { Library } from '../library/library.ts';
import { type Question, grantFolderFor } from '../launcher/asking.ts';
import { limitHints } from './hint-limit.ts';
import { promptSafe } from '../launcher/prompt-text.ts';
import { runPrompter } from '../launcher/run-answers.ts';
import { runInTerminal } from './run-command.ts';
import { ttyPrompter } from './tty-prompt.ts';

/** Runs app `ref`; resolves to the process exit code. */
export async function runApp(ref: string, args: string[]): Promise<number> {
  const lib = Library.open();
  try {
    const run = prepareRun(lib, ref, args);
    const ask = ttyPrompter();
    let stop = (): void => undefined;
    const hints = limitHints((q: Question) => {
      const folder = grantFolderFor(q.operation, q.path);
      process.stderr.write(`terrarium: denied ${q.appName} ${q.operation} ${promptSafe(q.path)} (no terminal to ask on; to allow it: terrarium grant ${q.appName} --dir ${promptSafe(folder)})\n`);
    });
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
      onAsk: run.onAsk(ask && runPrompter(ask, () => stop()), (q) => hints.say(q)),
    });
    run.finish(result.outcome, result.bytesOut);
    if (hints.skipped > 0) process.stderr.write(`terrarium: ${hints.skipped} more denials not shown; see: terrarium audit ${run.app.name}\n`);
    return result.exitCode;
  } finally {
    lib.close();
  }
}
