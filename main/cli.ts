/**
 * The `terrarium` command: the same core as the desktop app, without a window. Every command is
 * defined once in cli/commands.ts; this file picks the command, parses its words (cli/parse.ts),
 * answers help and --version, and turns errors into one line and an exit code (cli/exit-codes.ts).
 */
import fs from 'node:fs';
import { COMMANDS, command } from './cli/commands.ts';
import { ExitCode } from './cli/exit-codes.ts';
import { allowEarlyClose, exitWhenWritten } from './cli/exit.ts';
import { commandHelp, overview, usageLine } from './cli/help.ts';
import { parseCommand } from './cli/parse.ts';
import { didYouMean } from './cli/suggest.ts';
import { UsageError } from './cli/usage-error.ts';
import { LibraryError } from './library/errors.ts';
import { LoadError } from './runtime/load.ts';
import { visible } from '../preload/safe-text.ts';

/** Terrarium's version, from its package.json. */
function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The command `name`, or a usage error saying which commands are close to it. */
function known(name: string): NonNullable<ReturnType<typeof command>> {
  const def = command(name);
  if (def === undefined) throw new UsageError(`unknown command "${name}"${didYouMean(name, COMMANDS.map((c) => c.name), visible)}`);
  return def;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      process.stderr.write(overview(COMMANDS));
      return ExitCode.usage;
    }
    if (name === '--help' || name === '-h') {
      process.stdout.write(overview(COMMANDS));
      return 0;
    }
    if (name === '--version') {
      process.stdout.write(`terrarium ${version()}\n`);
      return 0;
    }
    if (name.startsWith('-')) throw new UsageError(`unknown option ${name}: a command comes first`);
    const def = known(name);
    const p = parseCommand(def, rest);
    if (p.help) {
      process.stdout.write(commandHelp(def));
      return 0;
    }
    if (def.name === 'help') {
      process.stdout.write(p.positionals[0] === undefined ? overview(COMMANDS) : commandHelp(known(p.positionals[0])));
      return 0;
    }
    return await def.run(p);
  } catch (err) {
    if (err instanceof UsageError) {
      const def = err.command === undefined ? undefined : command(err.command);
      const usage = def === undefined ? '' : `usage: ${usageLine(def)}\n`;
      process.stderr.write(`terrarium: ${visible(err.message)} (see "terrarium ${def ? `${def.name} ` : ''}--help")\n${usage}`);
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
