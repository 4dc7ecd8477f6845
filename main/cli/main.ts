/**
 * The `terrarium` command's own work: picks the command, parses its words (./parse.ts), answers
 * help and --version, and turns errors into one line and an exit code (./exit-codes.ts). Started
 * by main/cli.ts, or by bin/terrarium.js straight from the bundle's script (scripts/bundle-cli.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { command, commands } from './commands.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { allowEarlyClose, exitWhenWritten } from './exit.ts';
import { commandHelp, overview, usageLine } from './help.ts';
import { parseCommand } from './parse.ts';
import { didYouMean } from './suggest.ts';
import { UsageError } from './usage-error.ts';
import { CodedError } from '../shared/coded-error.ts';
import { visible } from '../../preload/safe-text.ts';

/**
 * Terrarium's version, from its package.json: the nearest one up from this file called
 * "terrarium" (main/ in a checkout, out/app/main/ in a packed app, where it sits higher up).
 */
function version(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'terrarium' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // none here: look further up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** The command `name`, or a usage error saying which commands are close to it. */
function known(name: string): NonNullable<ReturnType<typeof command>> {
  const def = command(name);
  if (def === undefined) throw new UsageError(`unknown command "${name}"${didYouMean(name, commands().map((c) => c.name), visible)}`);
  return def;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      process.stderr.write(overview(commands()));
      return ExitCode.usage;
    }
    if (name === '--help' || name === '-h') {
      process.stdout.write(overview(commands()));
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
      process.stdout.write(p.positionals[0] === undefined ? overview(commands()) : commandHelp(known(p.positionals[0])));
      return 0;
    }
    return await def.run(p);
  } catch (err) {
    // One line saying why, and the exit code the error's code has (cli/exit-codes.ts).
    if (err instanceof CodedError && err.code !== 'internal') {
      if (err.code === 'usage' || err.code === 'bad-request') {
        const def = err instanceof UsageError && err.command !== undefined ? command(err.command) : command(name ?? '');
        const usage = def === undefined ? '' : `usage: ${usageLine(def)}\n`;
        process.stderr.write(`terrarium: ${visible(err.message)} (see "terrarium ${def ? `${def.name} ` : ''}--help")\n${usage}`);
      } else process.stderr.write(`terrarium: ${visible(err.message)}\n`);
      return exitCodeFor(err.code);
    }
    process.stderr.write(`terrarium: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    return ExitCode.internal;
  }
}

/** Runs `terrarium ARGV...` (the words after the command's name) and exits with its code once its output is written. */
export async function runCli(argv: string[]): Promise<never> {
  allowEarlyClose();
  return exitWhenWritten(await main(argv));
}
