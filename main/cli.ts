/**
 * The `terrarium` command: the same core as the desktop app, without a window.
 * Exit codes are listed in cli/exit-codes.ts and the README.
 */
import { ExitCode } from './cli/exit-codes.ts';
import { allowEarlyClose, exitWhenWritten } from './cli/exit.ts';
import { UsageError } from './cli/run-args.ts';
import { LibraryError } from './library/errors.ts';
import { LoadError } from './runtime/load.ts';
import { visible } from '../preload/safe-text.ts';

// Each command's modules load only when it runs: `run MODULE.wasm` needs neither SQLite nor the
// web server, and start-up time is what a person waits for.

const USAGE = `usage:
  terrarium run [--dir HOST[::GUEST][:ro]]... [--env NAME=VALUE | --env NAME]...
                [--memory-max MIB] [--timeout SECONDS] MODULE.wasm [-- ARGS...]
  terrarium run APP [-- ARGS...]
  terrarium install FILE|URL|FOLDER [--name NAME] [--sha256 HASH] [--json]
  terrarium list [--search TEXT] [--sort name|installed|last-run] [--json]
  terrarium info APP [--json]
  terrarium uninstall APP
  terrarium grant APP [--dir HOST[::GUEST][:ro]]... [--env NAME[=VALUE]]... [--args "ARGS"]
                      [--memory-max MIB] [--timeout SECONDS] [--unknown ask|deny]
  terrarium revoke APP [--dir HOST|GUEST]... [--env NAME]... [--args] [--memory-max] [--timeout] [--id N]...
  terrarium grants APP [--json]
  terrarium reset APP
  terrarium history APP [--json]
  terrarium audit APP [--decision allowed|prompted-allowed|denied] [--limit N] [--before ID] [--json]
  terrarium ui --web [--port N]`;

const LIBRARY_COMMANDS = new Set(['install', 'list', 'info', 'uninstall', 'grant', 'revoke', 'grants', 'reset', 'history', 'audit']);

/**
 * `run X`: a module file when X is an option, ends in .wasm or is a path (has a slash, like
 * ./tool); otherwise the installed app called X. A file in the current folder never shadows an app.
 */
function runsModule(argv: string[]): boolean {
  const first = argv[0];
  return first === undefined || first.startsWith('-') || /\.wasm$/i.test(first) || /[/\\]/.test(first);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'run') {
      if (runsModule(rest)) return await (await import('./cli/run-command.ts')).runCommand(rest);
      const [ref, ...args] = rest;
      return await (await import('./cli/app-run.ts')).runApp(ref!, args[0] === '--' ? args.slice(1) : args);
    }
    if (command !== undefined && LIBRARY_COMMANDS.has(command)) return await (await import('./cli/library-commands.ts')).libraryCommand(command, rest);
    if (command === 'ui') return await (await import('./cli/ui-command.ts')).uiCommand(rest);
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      if (command === undefined) {
        process.stderr.write(`${USAGE}\n`);
        return ExitCode.usage;
      }
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`terrarium: ${visible(err.message)} (see "terrarium --help")\n`);
      return ExitCode.usage;
    }
    if (err instanceof LoadError) {
      process.stderr.write(`terrarium: ${visible(err.message)}\n`);
      return ExitCode.load;
    }
    if (err instanceof LibraryError) {
      process.stderr.write(`terrarium: ${visible(err.message)}\n`);
      return ExitCode.failed;
    }
    process.stderr.write(`terrarium: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    return ExitCode.internal;
  }
}

allowEarlyClose();
await exitWhenWritten(await main(process.argv.slice(2)));
