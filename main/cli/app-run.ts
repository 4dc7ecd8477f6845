/**
 * `terrarium run APP [-- ARGS]`: runs an installed app with exactly its stored grants, through the
 * core (main/api/terminal-app.ts, imported here directly: this file is itself loaded only for
 * `run APP`, so a module file's run still never loads the library). This file is the terminal's side: the prompt
 * on /dev/tty, the one-line hints for denials nobody was asked about (a few, then counted), the
 * notices, and the exit code.
 */
import { runApp as runInstalledApp } from '../api/terminal-app.ts';
import { type Question, promptSafe } from '../api/terminal-prompt.ts';
import { limitHints } from './hint-limit.ts';
import { hostErrorLine, terminalExit } from './run-command.ts';
import { outputPiped, ttyPrompter } from './tty-prompt.ts';
import { withAppSuggestion } from './suggest.ts';
import { visible } from '../../preload/safe-text.ts';

/** Runs app `ref`; resolves to the process exit code. */
export async function runApp(ref: string, args: string[]): Promise<number> {
  const prompter = ttyPrompter();
  const hints = limitHints(({ q, folder }: { q: Question; folder: string }) => {
    const noPrompt = outputPiped() ? 'its output is piped: nothing is asked while another program draws it' : 'no terminal to ask on';
    process.stderr.write(`terrarium: denied ${q.appName} ${q.operation} ${promptSafe(q.path)} (${noPrompt}; to allow it: terrarium grant ${q.appName} --dir ${promptSafe(folder)})\n`);
  });
  // untilExit: the command ends with process.exit (main.ts, exit.ts `exitWhenWritten`), which
  // drops the library's connection: no WAL keeper (docs/design/runapp.md, seventh pass).
  const result = await runInstalledApp(ref, args, {
    prompter,
    denied: (q, folder) => hints.say({ q, folder }),
    notKept: (_q, why) => void process.stderr.write(`terrarium: allowed once, not remembered: ${promptSafe(why)}\n`),
    stale: (notice) => void process.stderr.write(`terrarium: ${promptSafe(notice, 2000)}\n`),
    hostError: hostErrorLine,
    prepareFailed: (err, names) => withAppSuggestion(err, ref, names, visible),
  }, { untilExit: true });
  // A limit reached is said with the value the app's grants set.
  const exitCode = terminalExit(result, result.timeoutMs, result.memoryMaxBytes);
  if (hints.skipped > 0) process.stderr.write(`terrarium: ${hints.skipped} more denials not shown; see: terrarium audit ${result.appName}\n`);
  return exitCode;
}
