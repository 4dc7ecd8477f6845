/**
 * The packaged app's entry point. Started by one of Terrarium's `terrarium` launchers (see
 * main/integration/cli-launch.ts) it is the `terrarium` command: main/cli runs, no window and no
 * Electron module is loaded, and the process exits with the command's code. Otherwise it is the
 * desktop shell around the real core.
 */
import { cliArguments } from '../integration/cli-launch.ts';

const cli = cliArguments(process.argv);
if (cli !== null) {
  await (await import('./cli-mode.ts')).runCli(cli);
} else {
  // Awaited: Electron emits `ready` only once the entry point has finished evaluating, so the
  // shell registers its scheme and listeners in time.
  const [{ createApi }, { startDesktop }] = await Promise.all([import('../api/index.ts'), import('./main.ts')]);
  startDesktop(createApi);
}
