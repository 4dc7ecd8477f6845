/**
 * The packaged app as the `terrarium` command: main/cli, unchanged, with the command's arguments.
 * It never opens a window and never asks for the single-instance lock, so it runs beside an open
 * Terrarium window (both use the same library; SQLite's WAL lets them).
 */
import { ExitCode } from '../cli/exit-codes.ts';

/** Commands the installed app leaves to its window: web mode is for checkouts, and is not packed. */
const NOT_PACKED: Record<string, string> = {
  ui: 'the installed Terrarium has its own window (start Terrarium); web mode ("terrarium ui --web") comes with a checkout of the source',
};

/** Runs main/cli with `args` (what followed `--terrarium-cli --`); main/cli exits the process with its code. */
export async function runCli(args: readonly string[]): Promise<void> {
  const refused = args[0] === undefined ? undefined : NOT_PACKED[args[0]];
  if (refused !== undefined) {
    process.stderr.write(`terrarium: ${refused}\n`);
    process.exit(ExitCode.usage);
  }
  if (process.versions.electron !== undefined && process.platform === 'darwin') {
    // A command in a terminal is not an app in the Dock.
    (await import('electron')).app.dock?.hide();
  }
  // main/cli reads its arguments from process.argv, after the executable and the script.
  process.argv = [process.argv[0]!, 'terrarium', ...args];
  await import('../cli.ts');
}
