/**
 * `npm start [-- ARGS]`: checks that Electron's binary is there (downloading it if it can), builds,
 * and opens the desktop app from this checkout. Without Electron it prints one line pointing at
 * web mode and exits 1.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NO_ELECTRON, findElectron } from './start/electron.ts';

const repo = path.resolve(import.meta.dirname, '..');
const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const binary = findElectron(electronDir);
if (binary === null) {
  process.stderr.write(`${NO_ELECTRON}\n`);
  process.exit(1);
}
const built = spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const app = spawnSync(binary, [repo, ...process.argv.slice(2)], { cwd: repo, stdio: 'inherit' });
process.exit(app.status ?? 1);
