/**
 * The offline packaging check: build (optionally), pack an unpacked Linux x64 build with
 * electron-builder against a stand-in Electron, and verify it. Electron is never downloaded.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { writeStandInElectron } from './stand-in.ts';
import { verifyLinuxBuild } from './verify.ts';

export const REPO = path.resolve(import.meta.dirname, '..', '..');

export interface CheckResult {
  problems: string[];
  /** The unpacked build (removed unless `keep`). */
  appOutDir: string;
  /** electron-builder's output, for a failure's report. */
  log: string;
}

function run(command: string, args: string[], log: (s: string) => void): { status: number | null; output: string } {
  const r = spawnSync(command, args, {
    cwd: REPO,
    encoding: 'utf8',
    // electron-builder stays silent under Vitest; its log is what explains a failure.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))), NO_UPDATE_NOTIFIER: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  log(output);
  return { status: r.status, output };
}

export async function checkPackage(options: { build: boolean; keep?: boolean; log?: (s: string) => void }): Promise<CheckResult> {
  const log = options.log ?? (() => {});
  if (options.build) {
    const built = run('npm', ['run', 'build'], log);
    if (built.status !== 0) return { problems: ['npm run build failed'], appOutDir: '', log: built.output };
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-package-'));
  const electronDist = path.join(work, 'electron-dist');
  const output = path.join(work, 'dist');
  writeStandInElectron(electronDist);
  const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js');
  const args = [cli, '--config', 'electron-builder.config.ts', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`, '--dir', '--linux', '--x64'];
  const packed = run(process.execPath, args, log);
  const appOutDir = path.join(output, 'linux-unpacked');
  try {
    const problems = packed.status === 0 ? await verifyLinuxBuild(appOutDir, REPO) : [`electron-builder exited with ${packed.status}`];
    return { problems, appOutDir, log: packed.output };
  } finally {
    if (!options.keep) fs.rmSync(work, { recursive: true, force: true });
  }
}
