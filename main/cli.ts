/**
 * The `terrarium` command: the same core as the desktop app, without a window. Every command is
 * defined once in cli/commands.ts; cli/main.ts runs the one named.
 */
import { runCli } from './cli/main.ts';

await runCli(process.argv.slice(2));
