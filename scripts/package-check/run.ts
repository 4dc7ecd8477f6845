/**
 * The offline packaging check: build (optionally), pack an unpacked build of every target (Linux
 * x64, Windows x64, macOS x64 and arm64) with electron-builder against stand-in Electrons, verify
 * each, and run the packed `terrarium` command and a packed run worker of the Linux build. Electron
 * is never downloaded.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { extractApp, runPackedCli } from './cli-run.ts';
import { writeStandInCodesign, writeStandInElectron } from './stand-in.ts';
import { TARGETS, type Target, layoutOf } from './targets.ts';
import { verifyBuild } from './verify.ts';
import { runPackedWorker } from './worker-run.ts';

export const REPO = path.resolve(import.meta.dirname, '..', '..');

export interface CheckResult {
  problems: string[];
  /** The output folder holding every unpacked build (removed unless `keep`). */
  outDir: string;
  /** electron-builder's output, for a failure's report. */
  log: string;
}

function run(command: string, args: string[], log: (s: string) => void, extraEnv: NodeJS.ProcessEnv = {}): { status: number | null; output: string } {
  const r = spawnSync(command, args, {
    cwd: REPO,
    encoding: 'utf8',
    // electron-builder stays silent under Vitest; its log is what explains a failure.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))), NO_UPDATE_NOTIFIER: '1', ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  log(output);
  return { status: r.status, output };
}

/** Packs `target` into `output`; returns electron-builder's output and status. */
function pack(target: Target, work: string, output: string, log: (s: string) => void): { status: number | null; output: string } {
  const electronDist = path.join(work, `electron-${target.os}`);
  if (!fs.existsSync(electronDist)) writeStandInElectron(electronDist, target.os);
  const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js');
  const args = [cli, '--config', 'electron-builder.config.ts', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`, '--dir', target.flag, `--${target.arch}`];
  // @electron/fuses re-signs an arm64 Mac build ad hoc with codesign, which only macOS has.
  const codesign = path.join(work, 'codesign.log');
  const env = target.os === 'darwin' && process.platform !== 'darwin' ? { PATH: `${writeStandInCodesign(path.join(work, 'bin'), codesign)}${path.delimiter}${process.env.PATH}` } : {};
  return run(process.execPath, args, log, env);
}

export async function checkPackage(options: { build: boolean; keep?: boolean; log?: (s: string) => void; targets?: readonly Target[] }): Promise<CheckResult> {
  const log = options.log ?? (() => {});
  if (options.build) {
    const built = run('npm', ['run', 'build'], log);
    if (built.status !== 0) return { problems: ['npm run build failed'], outDir: '', log: built.output };
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-package-'));
  const output = path.join(work, 'dist');
  const problems: string[] = [];
  let logs = '';
  try {
    for (const target of options.targets ?? TARGETS) {
      const name = `${target.os} ${target.arch}`;
      const packed = pack(target, work, output, log);
      logs += packed.output;
      if (packed.status !== 0) {
        problems.push(`${name}: electron-builder exited with ${packed.status}`);
        continue;
      }
      const appOutDir = path.join(output, target.dir);
      problems.push(...(await verifyBuild(target, appOutDir, REPO)).map((p) => `${name}: ${p}`));
      if (target.os === 'darwin' && target.arch === 'arm64' && process.platform !== 'darwin') {
        const signed = fs.existsSync(path.join(work, 'codesign.log')) ? fs.readFileSync(path.join(work, 'codesign.log'), 'utf8') : '';
        if (!/--sign - --force .*--deep .*Terrarium\.app/.test(signed)) problems.push(`${name}: the ad-hoc signature was not renewed after the fuses were flipped`);
      }
      if (target.os === 'linux') {
        const layout = layoutOf(target, appOutDir);
        // Into a folder named app.asar, as Electron shows the asar to the code (main/runtime/run.ts packagedWorker).
        const app = path.join(work, 'resources', 'app.asar');
        const entry = extractApp(layout.resources, app);
        const worker = runPackedWorker(app, layout.resources, work, path.join(REPO, 'bench', 'programs', 'hello.wasm'), 'RESULT hello, world\n');
        problems.push(...worker.map((p) => `${name}: ${p}`));
        const cli = runPackedCli(path.join(layout.resources, 'bin', 'terrarium'), entry, work, path.join(REPO, 'test', 'fixtures'));
        problems.push(...cli.map((p) => `${name}: ${p}`));
      }
    }
    return { problems, outDir: output, log: logs };
  } finally {
    if (!options.keep) fs.rmSync(work, { recursive: true, force: true });
  }
}
