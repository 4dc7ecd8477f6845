/**
 * Reading a package folder's `wasmer.toml`: name, version, description, modules, commands, and
 * its `[fs]` entries, which become declared needs shown to the person, never grants.
 */
import fs from 'node:fs';
import path from 'node:path';
import { visible } from '../../preload/safe-text.ts';
import { CodedError } from '../shared/coded-error.ts';
import { readRegularFile } from './read-file.ts';
import type { Manifest } from './types.ts';

/** A package folder's module to install and its manifest. */
export interface PackageInfo {
  modulePath: string;
  name: string;
  manifest: Manifest;
}

/** Largest `wasmer.toml` read (1 MiB; real ones are a few hundred bytes). */
export const MANIFEST_MAX_BYTES = 1024 * 1024;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const outside = (rel: string): boolean => rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);

/**
 * `file` with every symlink resolved, refused unless it lies inside `dir` (itself resolved): a
 * link in the package folder must not bring in a file from elsewhere. A file that does not exist
 * is returned as it is (reading it reports that).
 */
function resolvedInside(dir: string, file: string, what: string): string {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return file;
  }
  if (outside(path.relative(fs.realpathSync(dir), real))) {
    throw new CodedError('bad-manifest', `${what} is a link to ${visible(real)}, outside the package folder`);
  }
  return real;
}

/**
 * Reads `<dir>/wasmer.toml`; throws CodedError('bad-manifest') naming what is wrong. smol-toml is
 * loaded here, at the first package folder read: it is nine ES modules (~9 ms of CPU), which every
 * command that opens the library but reads no package (`terrarium run APP`) would pay for.
 */
export async function readPackage(dir: string): Promise<PackageInfo> {
  const { parse } = await import('smol-toml');
  const file = path.join(dir, 'wasmer.toml');
  // Through one descriptor, regular files only, at most MANIFEST_MAX_BYTES (secreview2 hole 1:
  // a named pipe hung the install, a sparse file was read whole).
  const read = readRegularFile(resolvedInside(dir, file, 'wasmer.toml'), MANIFEST_MAX_BYTES);
  if (!(read instanceof Uint8Array)) {
    if (read.refused === 'not-file') throw new CodedError('bad-manifest', 'wasmer.toml is not a regular file');
    if (read.refused === 'too-large') throw new CodedError('bad-manifest', `wasmer.toml is ${read.size} bytes, over the limit of ${MANIFEST_MAX_BYTES}`);
    throw new CodedError('bad-manifest', `${dir} has no readable wasmer.toml`);
  }
  const text = Buffer.from(read.buffer, read.byteOffset, read.byteLength).toString('utf8');
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new CodedError('bad-manifest', `wasmer.toml does not parse: ${visible((err as Error).message.split('\n')[0]!)}`);
  }
  const pkg = (doc.package ?? {}) as Record<string, unknown>;
  const modules = Array.isArray(doc.module) ? (doc.module as Record<string, unknown>[]) : [];
  const commands = Array.isArray(doc.command) ? (doc.command as Record<string, unknown>[]) : [];
  if (modules.length === 0) throw new CodedError('bad-manifest', 'wasmer.toml declares no [[module]]');
  const wanted = str(commands[0]?.module) ?? str(modules[0]!.name);
  const mod = modules.find((m) => str(m.name) === wanted) ?? modules[0]!;
  const source = str(mod.source);
  if (!source) throw new CodedError('bad-manifest', `module "${visible(str(mod.name) ?? '?')}" in wasmer.toml has no source`);
  const written = path.resolve(dir, source);
  if (outside(path.relative(dir, written))) {
    throw new CodedError('bad-manifest', `module source ${visible(source)} lies outside the package folder`);
  }
  const modulePath = resolvedInside(dir, written, `module source ${visible(source)}`);
  const fsTable = (doc.fs ?? {}) as Record<string, unknown>;
  const fullName = str(pkg.name) ?? path.basename(dir);
  return {
    modulePath,
    name: fullName.split('/').pop()!,
    manifest: {
      package: { name: fullName, version: str(pkg.version), description: str(pkg.description) },
      commands: commands.map((c) => ({ name: str(c.name) ?? '?', module: str(c.module) ?? '?' })),
      needs: Object.entries(fsTable).map(([guest, host]) => ({ kind: 'folder' as const, guest, host: str(host) })),
    },
  };
}
