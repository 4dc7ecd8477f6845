/**
 * The `terrarium` command: the same core as the desktop app, without a window.
 * Exit codes are listed in cli/exit-codes.ts and the README.
 */
import { ExitCode } from './cli/exit-codes.ts';
import { runCommand } from './cli/run-command.ts';
import { UsageError } from './cli/run-args.ts';
import { LoadError } from './runtime/load.ts';

const USAGE = `usage: terrarium run [--dir HOST[::GUEST][:ro]]... [--env NAME=VALUE | --env NAME]...
                     [--memory-max MIB] [--timeout SECONDS] MODULE.wasm [-- ARGS...]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? ExitCode.usage : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`terrarium: ${err.message}\n${USAGE}\n`);
      return ExitCode.usage;
    }
    if (err instanceof LoadError) {
      process.stderr.write(`terrarium: ${err.message}\n`);
      return ExitCode.load;
    }
    process.stderr.write(`terrarium: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    return ExitCode.internal;
  }
}

process.exit(await main(process.argv.slice(2)));
