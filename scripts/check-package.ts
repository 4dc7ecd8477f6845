/**
 * `npm run check:package [-- --no-build] [-- --keep]`: builds, packs unpacked builds of every target
 * offline against a stand-in Electron, and verifies the asar, the unpacked native module and the
 * fuses. Exits 1 with the problems listed when anything is wrong.
 */
import { checkPackage } from './package-check/run.ts';

const flags = new Set(process.argv.slice(2));
const started = performance.now();
const result = await checkPackage({ build: !flags.has('--no-build'), keep: flags.has('--keep'), log: (s) => process.stdout.write(s) });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (result.problems.length > 0) {
  process.stderr.write(`check:package failed (${seconds} s):\n${result.problems.map((p) => `  - ${p}\n`).join('')}`);
  process.exit(1);
}
process.stdout.write(`check:package passed in ${seconds} s${flags.has('--keep') ? `: ${result.outDir}` : ''}\n`);
