/**
 * koffi's native module for each packaged target (DESIGN §7: each target packs its own native
 * binaries, whatever OS builds it). npm installs only the build machine's `@koromix/koffi-<os>-<arch>`
 * package, so the others are fetched from the npm registry (`npm pack`, the version koffi itself
 * pins) into `.cache/koffi/<os>-<arch>/<triplet>/koffi.node`, which electron-builder packs as a
 * resource where koffi's own loader looks in a packaged app: `<resources>/koffi/<triplet>/koffi.node`.
 * Windows never loads koffi (the native host calls are for Linux and macOS), so its build carries none.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '..');

/** Where a target's koffi binaries are gathered (relative to the repository, for electron-builder). */
export const KOFFI_CACHE = '.cache/koffi';

/** The koffi triplets a target's build carries (glibc and musl on Linux). */
export function koffiTriplets(target: { os: string; arch: string }): string[] {
  if (target.os === 'linux') return [`linux_${target.arch}`, `musl_${target.arch}`];
  if (target.os === 'darwin') return [`darwin_${target.arch}`];
  return [];
}

/** The koffi.node paths a target's build holds, relative to its resources folder. */
export function koffiPackedPaths(target: { os: string; arch: string }): string[] {
  return koffiTriplets(target).map((t) => `koffi/${t}/koffi.node`);
}

/**
 * Makes sure `.cache/koffi/<os>-<arch>` holds the target's koffi binaries, from the installed
 * per-platform package when it is this machine's, else from the registry; returns the folder.
 * Throws with npm's own reason when the package cannot be had.
 */
export function prepareKoffi(target: { os: string; arch: string }): string {
  const dir = path.join(repo, KOFFI_CACHE, `${target.os}-${target.arch}`);
  const triplets = koffiTriplets(target);
  fs.mkdirSync(dir, { recursive: true });
  const wanted = triplets.map((t) => path.join(dir, t, 'koffi.node'));
  if (wanted.every((f) => fs.existsSync(f))) return dir;
  const version = (JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', 'koffi', 'package.json'), 'utf8')) as { version: string }).version;
  const pkg = `@koromix/koffi-${target.os}-${target.arch}`;
  let source = path.join(repo, 'node_modules', pkg);
  const installed = fs.existsSync(path.join(source, 'package.json'))
    && (JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as { version: string }).version === version;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-koffi-'));
  try {
    if (!installed) {
      const tarball = execFileSync('npm', ['pack', `${pkg}@${version}`, '--silent', '--pack-destination', scratch], { cwd: scratch, encoding: 'utf8' }).trim().split('\n').pop()!;
      execFileSync('tar', ['-xzf', path.join(scratch, tarball), '-C', scratch]);
      source = path.join(scratch, 'package');
    }
    for (const t of triplets) {
      const from = path.join(source, t, 'koffi.node');
      if (!fs.existsSync(from)) throw new Error(`${pkg}@${version} has no ${t}/koffi.node`);
      fs.mkdirSync(path.join(dir, t), { recursive: true });
      fs.copyFileSync(from, path.join(dir, t, 'koffi.node'));
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return dir;
}
