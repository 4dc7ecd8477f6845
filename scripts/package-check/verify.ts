/**
 * Checks an unpacked Linux build (electron-builder --dir): the app's entry points are in the asar,
 * better-sqlite3's native module is unpacked beside it, nothing but production code is packed,
 * and the fuses are flipped. Returns what is wrong (nothing, when all is well).
 */
import fs from 'node:fs';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { FUSES } from '../after-pack.ts';
import { readAsar } from './asar.ts';

/** What the app needs to start: the main process, the page, the preload, and package.json. */
export const REQUIRED = ['package.json', 'out/app/main/desktop/entry.js', 'out/renderer/index.html', 'out/preload/index.cjs'];
/** The native module this build must carry, unpacked. */
export const NATIVE = 'node_modules/better-sqlite3/prebuilds/linux-x64.node';

/** Packages `npm install --omit=dev` would install: the root's dependencies, transitively. */
function productionPackages(repo: string): Set<string> {
  const seen = new Set<string>();
  const visit = (deps: Record<string, string> | undefined): void => {
    for (const name of Object.keys(deps ?? {})) {
      if (seen.has(name)) continue;
      seen.add(name);
      const manifest = path.join(repo, 'node_modules', name, 'package.json');
      if (fs.existsSync(manifest)) visit((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> }).dependencies);
    }
  };
  visit((JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies);
  return seen;
}

/** A packed path that must not be there, or null. */
function forbidden(p: string, production: Set<string>): string | null {
  if (/^(?:test|bench|renderer|preload|main|scripts|resources|dist)(?:\/|$)/.test(p)) return 'a source or build folder';
  if (/\.(?:ts|mts|cts|svelte|map)$/.test(p) && !p.endsWith('.d.ts')) return 'a source or source map';
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/@][^/]*)/.exec(p)?.[1];
  if (pkg !== undefined && !production.has(pkg)) return 'not a production dependency';
  if (/^node_modules\/better-sqlite3\/(?:deps|src)\//.test(p)) return "better-sqlite3's C sources";
  if (/^node_modules\/better-sqlite3\/prebuilds\//.test(p) && p !== NATIVE) return "another platform's native module";
  return null;
}

export async function verifyLinuxBuild(appOutDir: string, repo: string, executableName = 'terrarium'): Promise<string[]> {
  const problems: string[] = [];
  const resources = path.join(appOutDir, 'resources');
  const asarFile = path.join(resources, 'app.asar');
  if (!fs.existsSync(asarFile)) return [`no ${asarFile}`];
  const asar = readAsar(asarFile);
  const byPath = new Map(asar.entries.map((e) => [e.path, e]));

  for (const p of REQUIRED) if (byPath.get(p)?.kind !== 'file') problems.push(`${p} is not in the asar`);
  const manifest = asar.read('package.json');
  const main = manifest === null ? undefined : (JSON.parse(manifest.toString('utf8')) as { main?: string }).main;
  if (main === undefined || byPath.get(path.posix.normalize(main))?.kind !== 'file') problems.push(`package.json's main (${main}) is not in the asar`);

  if (byPath.get(NATIVE)?.unpacked !== true) problems.push(`${NATIVE} is not marked unpacked in the asar`);
  const native = path.join(resources, 'app.asar.unpacked', ...NATIVE.split('/'));
  if (!fs.existsSync(native)) problems.push(`${NATIVE} is not in app.asar.unpacked`);
  else if (!fs.readFileSync(native).subarray(0, 4).equals(Buffer.from('\x7fELF', 'latin1'))) problems.push(`${NATIVE} is not an ELF shared object`);
  for (const e of asar.entries) if (e.unpacked && e.kind === 'file' && e.path !== NATIVE) problems.push(`${e.path} is unpacked, but only the native module should be`);

  const production = productionPackages(repo);
  for (const e of asar.entries) {
    const why = forbidden(e.path, production);
    if (why !== null) problems.push(`${e.path} is packed (${why})`);
  }

  const wire = (await getCurrentFuseWire(path.join(appOutDir, executableName))) as unknown as Record<string, number>;
  for (const [index, enabled] of Object.entries(FUSES)) {
    if (wire[index] !== (enabled ? 49 : 48)) problems.push(`the ${FuseV1Options[Number(index)]} fuse is not ${enabled ? 'on' : 'off'}`);
  }
  return problems;
}
