/**
 * Checks an unpacked build (electron-builder --dir) of one target: the app's entry points are in
 * the asar, the target's own native module (its OS and architecture) is unpacked beside it and no
 * other, nothing is packed that no entry point reaches (nor source, tests or dev dependencies), the
 * `terrarium` launcher is there, and the fuses are flipped. Returns what is wrong (nothing, when
 * all is well).
 */
import fs from 'node:fs';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { packedLauncher } from '../../main/integration/cli-launch.ts';
import { FUSES } from '../after-pack.ts';
import { readAsar } from './asar.ts';
import { LEFT_OUT_PATTERNS, reachable } from './reach.ts';
import { koffiPackedPaths } from '../koffi-binaries.ts';
import { LINUX_GLIBC, type Target, binaryKind, glibcFloor, layoutOf, nativeOf } from './targets.ts';

/** What the app needs to start: the main process, the page, the preload, package.json, and its run workers' entry. */
export const REQUIRED = ['package.json', 'out/app/main/desktop/entry.js', 'out/app/main/cli.js', 'out/renderer/index.html', 'out/preload/index.cjs', 'out/cli/worker.js'];

/** Packages `npm install --omit=dev` would install: the root's dependencies, transitively, optional ones included. */
function productionPackages(repo: string): Set<string> {
  const seen = new Set<string>();
  const visit = (deps: Record<string, string> | undefined): void => {
    for (const name of Object.keys(deps ?? {})) {
      if (seen.has(name)) continue;
      seen.add(name);
      const manifest = path.join(repo, 'node_modules', name, 'package.json');
      if (!fs.existsSync(manifest)) continue;
      const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      visit(m.dependencies);
      // Per-platform native packages (koffi's, say) come as optional dependencies.
      visit(m.optionalDependencies);
    }
  };
  visit((JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies);
  return seen;
}

/** A packed path that must not be there, or null. */
function forbidden(p: string, production: Set<string>, natives: readonly string[]): string | null {
  // The bundled run worker's compile-cache module, which scripts/bundle-cli.ts leaves outside the
  // bundle (at ../../main/ from out/cli: one instance with bin's in a checkout); plain JavaScript.
  if (/^main(?:\/compile-cache\.c?js)?$/.test(p)) return null;
  if (/^(?:test|bench|renderer|preload|main|scripts|resources|dist)(?:\/|$)/.test(p)) return 'a source or build folder';
  if (/\.(?:ts|mts|cts|svelte|map)$/.test(p) && !p.endsWith('.d.ts')) return 'a source or source map';
  // Issue 15: jco-transpile's optimiser (binaryen, 93 MB) is never used, so never shipped.
  if (/^node_modules\/binaryen(?:\/|$)/.test(p)) return "binaryen, jco-transpile's optimiser, which Terrarium never runs";
  if (/^node_modules\/(?:oxc-minify|@oxc-minify)(?:\/|$)/.test(p)) return "oxc-minify, jco-transpile's minifier (native), which Terrarium never runs";
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/@][^/]*)/.exec(p)?.[1];
  if (pkg !== undefined && !production.has(pkg)) return 'not a production dependency';
  if (/^node_modules\/better-sqlite3\/(?:deps|src)\//.test(p)) return "better-sqlite3's C sources";
  if (/\.node$/.test(p) && !natives.includes(p)) return "another target's native module";
  return null;
}

/** Checks the unpacked build of `target` in `appOutDir`. */
export async function verifyBuild(target: Target, appOutDir: string, repo: string): Promise<string[]> {
  const problems: string[] = [];
  const layout = layoutOf(target, appOutDir);
  const native = nativeOf(target);
  const asarFile = path.join(layout.resources, 'app.asar');
  if (!fs.existsSync(asarFile)) return [`no ${asarFile}`];
  const asar = readAsar(asarFile);
  const byPath = new Map(asar.entries.map((e) => [e.path, e]));

  for (const p of REQUIRED) if (byPath.get(p)?.kind !== 'file') problems.push(`${p} is not in the asar`);
  const manifest = asar.read('package.json');
  const meta = manifest === null ? {} : (JSON.parse(manifest.toString('utf8')) as { main?: string; productName?: string });
  const main = meta.main === undefined ? undefined : path.posix.normalize(meta.main);
  if (main === undefined || byPath.get(main)?.kind !== 'file') problems.push(`package.json's main (${meta.main}) is not in the asar`);
  // Electron names its user-data folder after productName (else name): Terrarium's, not "terrarium".
  if (meta.productName !== 'Terrarium') problems.push(`package.json's productName is ${JSON.stringify(meta.productName)}, not "Terrarium"`);

  // The target's own native modules: better-sqlite3's unpacked beside the asar, koffi's (one per C
  // library) among the resources.
  const natives = [native];
  const nativeFiles = [
    { name: native, file: path.join(layout.resources, 'app.asar.unpacked', ...native.split('/')), where: 'app.asar.unpacked' },
    ...koffiPackedPaths(target).map((k) => ({ name: `resources/${k}`, file: path.join(layout.resources, ...k.split('/')), where: 'the resources folder' })),
  ];
  if (byPath.get(native)?.unpacked !== true) problems.push(`${native} is not marked unpacked in the asar`);
  for (const { name, file, where } of nativeFiles) {
    if (!fs.existsSync(file)) {
      problems.push(`${name} is not in ${where}`);
      continue;
    }
    const kind = binaryKind(fs.readFileSync(file));
    if (kind?.os !== target.os || kind.arch !== target.arch) problems.push(`${name} is a ${kind === null ? 'file of no known kind' : `${kind.os} ${kind.arch} binary`}, not ${target.os} ${target.arch}`);
    const glibc = target.os === 'linux' ? glibcFloor(fs.readFileSync(file)) : null;
    if (glibc !== null && compareVersions(glibc, LINUX_GLIBC) > 0) problems.push(`${name} needs glibc ${glibc}, but the README says ${LINUX_GLIBC}`);
  }
  const sqliteFile = nativeFiles[0]!.file;
  if (target.os === 'linux' && fs.existsSync(sqliteFile) && glibcFloor(fs.readFileSync(sqliteFile)) !== LINUX_GLIBC) {
    problems.push(`${native} no longer needs exactly glibc ${LINUX_GLIBC}: update the README and LINUX_GLIBC`);
  }
  if (target.os === 'win32' && fs.existsSync(path.join(layout.resources, 'koffi'))) problems.push('the Windows build carries koffi binaries, which it never loads');
  for (const e of asar.entries) if (e.unpacked && e.kind === 'file' && e.path !== native) problems.push(`${e.path} is unpacked, but only the native module should be`);

  const production = productionPackages(repo);
  for (const e of asar.entries) {
    const why = forbidden(e.path, production, natives);
    if (why !== null) problems.push(`${e.path} is packed (${why})`);
  }

  const files = new Set(asar.entries.filter((e) => e.kind === 'file').map((e) => e.path));
  // The run workers' entry is one too: the packed run.js starts them from it (main/runtime/run.ts
  // packagedWorker; the Linux build runs a guest in one, worker-run.ts).
  const roots = ['package.json', ...(main ? [main] : []), 'out/preload/index.cjs', 'out/cli/worker.js', ...[...files].filter((f) => f.startsWith('out/renderer/'))];
  const { reached, missing } = reachable({ files, read: (p) => asar.read(p) }, roots);
  problems.push(...missing);
  for (const f of files) if (!reached.has(f)) problems.push(`${f} is packed, but no entry point (window, preload, page, CLI or run worker) loads it`);
  // The bundled command's chunks a run worker never loads, though its script names them.
  for (const f of files) for (const [re, why] of LEFT_OUT_PATTERNS) if (re.test(f)) problems.push(`${f} is packed, but is left out on purpose: ${why}`);

  const launcher = packedLauncher(target.os, layout.executable);
  const launcherFile = path.join(layout.resources, 'bin', launcher.name);
  if (!fs.existsSync(launcherFile)) problems.push(`the terrarium command's launcher (resources/bin/${launcher.name}) is missing`);
  else if (fs.readFileSync(launcherFile, 'utf8') !== launcher.content) problems.push(`resources/bin/${launcher.name} is not the launcher cli-launch.ts makes`);
  else if (target.os !== 'win32' && (fs.statSync(launcherFile).mode & 0o111) === 0) problems.push(`resources/bin/${launcher.name} is not executable`);

  const wire = (await getCurrentFuseWire(layout.fused)) as unknown as Record<string, number>;
  for (const [index, enabled] of Object.entries(FUSES)) {
    if (wire[index] !== (enabled ? 49 : 48)) problems.push(`the ${FuseV1Options[Number(index)]} fuse is not ${enabled ? 'on' : 'off'}`);
  }
  return problems;
}

/** Compares dotted version numbers ("2.34" < "2.35" < "2.35.1"). */
function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
