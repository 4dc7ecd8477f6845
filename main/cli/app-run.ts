/** `terrarium run APP [-- ARGS]`: runs an installed app with exactly its stored grants. */
import { prepareRun } from '../launcher/launch.ts';
import { Library } from '../library/library.ts';
import { runInTerminal } from './run-command.ts';

/** Runs app `ref`; resolves to the process exit code. */
export async function runApp(ref: string, args: string[]): Promise<number> {
  const lib = Library.open();
  try {
    const run = prepareRun(lib, ref, args);
    const result = await runInTerminal({
      module: run.module,
      args: run.args,
      env: run.policy.env.map(([k, v]) => [k, v]),
      preopens: [...run.policy.preopens],
      memoryMaxBytes: run.policy.memoryMaxBytes,
      timeoutMs: run.policy.timeoutMs,
    });
    run.finish(result.outcome, result.bytesOut);
    return result.exitCode;
  } finally {
    lib.close();
  }
}
