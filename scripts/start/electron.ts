/**
 * `npm start` needs Electron's own binary, which the electron package downloads on first use. On a
 * machine that cannot download it, `npm start` says so in one line and points at web mode, instead
 * of the download's stack trace (DESIGN §10).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The line `npm start` prints when there is no Electron to start. */
export const NO_ELECTRON =
  'terrarium: Electron could not be downloaded, so the desktop app cannot start here; use web mode, the same app in your browser: npm run build && npx terrarium ui --web';

/** The binary the electron package in `dir` points at, if it is there. */
export function electronBinary(dir: string): string | null {
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

/** Runs the electron package's own installer (the download), quietly; whether it succeeded. */
export function downloadElectron(dir: string): { ok: boolean; output: string } {
  const r = spawnSync(process.execPath, [path.join(dir, 'install.js')], { cwd: dir, encoding: 'utf8', timeout: 10 * 60_000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Electron's binary, downloading it first if needed; null when it cannot be had. */
export function findElectron(dir: string, download: (dir: string) => { ok: boolean } = downloadElectron): string | null {
  const present = electronBinary(dir);
  if (present !== null) return present;
  return download(dir).ok ? electronBinary(dir) : null;
}
