/**
 * The packaged app as the `terrarium` command: main/cli, unchanged, with the command's arguments.
 * It never opens a window and never asks for the single-instance lock, so it runs beside an open
 * Terrarium window (both use the same library; SQLite's WAL lets them). In a package it runs the
 * bundled command the package carries (out/cli, scripts/bundle-cli.ts: its main script from V8's
 * code cache, as bin/terrarium.js runs a fresh bundle) instead of tsc's out/app: ~85 ms less CPU a
 * command (docs/design/warm-runs.md round 12; docs/design/start2.md, startroute).
 */
import { fileURLToPath } from 'node:url';
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
  if (!inPackage(import.meta.url)) {
    await import('../cli.ts');
    return;
  }
  // As bin/terrarium.js runs a fresh bundle: its main script straight from its V8 code cache
  // (compile-cache.cjs `startPackaged`, the start scripts/bundle-cli.ts wrote to out/cli/start.json),
  // no entry nor shim as ES modules. One build made out/app and out/cli: no freshness to check.
  // compile-cache.cjs through `require` (its first instance in the thread, which the bundle's shims
  // then share through compile-cache.js): an ES import of compile-cache.js would add a module.
  const cache = process.getBuiltinModule('node:module').createRequire(import.meta.url)(fileURLToPath(new URL('../../../../main/compile-cache.cjs', import.meta.url))) as typeof import('../compile-cache.cjs');
  await cache.startPackaged(new URL('../../../cli/start.json', import.meta.url).href, (url) => import(url));
}

/** Whether `url` (this module's) is tsc's cli-mode.js inside a packaged app's asar (as run.ts `packagedWorker` tells it). */
export function inPackage(url: string): boolean {
  return url.startsWith('file:') && url.endsWith('/app.asar/out/app/main/desktop/cli-mode.js');
}
