/**
 * Transpiled components in the module store (issue 15.1): a component that needs the WASI 0.2 host
 * is transpiled once at install time and its output kept beside the original as
 * `<store>/<sha256>.<transpiler>.p2`, keyed by the original's SHA-256 and the transpiler's version,
 * so a new transpiler makes it again and an uninstalled app's output is swept with its module.
 *
 * The file: a u32 (little-endian) length, a JSON list of [name, size], then the files' bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from './hash.ts';
import { TRANSPILER, type TranspiledFiles } from '../wasm/transpile.ts';
import type { ModuleStore } from './store.ts';
import type { ComponentInspection } from './types.ts';

const NAME = /^([0-9a-f]{64})\.(.+)\.p2$/;

/** Where the transpiled output of module `sha256` lives. */
export function transpiledPath(store: ModuleStore, sha256: string): string {
  return store.pathOf(sha256).replace(/\.wasm$/, `.${TRANSPILER}.p2`);
}

/** The stored form of `files`, and its SHA-256 (recorded with the app, checked before each run). */
function packTranspiled(files: TranspiledFiles): { bytes: Buffer; sha256: string } {
  const entries = Object.entries(files);
  const head = Buffer.from(JSON.stringify(entries.map(([name, b]) => [name, b.length])), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  const bytes = Buffer.concat([len, head, ...entries.map(([, b]) => b)]);
  return { bytes, sha256: sha256Hex(bytes) };
}

/** What an app records of its module's stored output (`inspection.component.transpiled`). */
export type TranspiledRecord = NonNullable<ComponentInspection['transpiled']>;

/**
 * `files` (transpiled by the current TRANSPILER in `ms`) packed for the store, and the record kept
 * with the app: at install and after a run that had to transpile alike.
 */
export function packForStore(files: TranspiledFiles, ms: number): { bytes: Buffer; record: TranspiledRecord } {
  const { bytes, sha256 } = packTranspiled(files);
  return { bytes, record: { transpiler: TRANSPILER, sha256, size: bytes.length, ms } };
}

/**
 * Stores packed output for module `sha256` (temp file, fsync, rename: whole or absent; a rename
 * that fails leaves no temp file behind).
 */
export function writeTranspiled(store: ModuleStore, sha256: string, packed: Uint8Array): void {
  const tmp = store.writeTemp(packed);
  try {
    fs.renameSync(tmp, transpiledPath(store, sha256));
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * The stored output for module `sha256` by the current transpiler if its hash is `expected`, or
 * undefined (missing, another version, changed on disk: the generated code runs in the run's
 * worker, so nothing but what this Terrarium wrote is ever loaded).
 */
export function readTranspiled(store: ModuleStore, sha256: string, expected: string): TranspiledFiles | undefined {
  let all: Buffer;
  try {
    all = fs.readFileSync(transpiledPath(store, sha256));
  } catch {
    return undefined;
  }
  if (sha256Hex(all) !== expected) return undefined;
  return unpackTranspiled(all);
}

/** The files packed in `packed` (`packForStore`'s form), or undefined if it is not whole. */
export function unpackTranspiled(packed: Uint8Array): TranspiledFiles | undefined {
  const all = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  try {
    const headLen = all.readUInt32LE(0);
    const list = JSON.parse(all.subarray(4, 4 + headLen).toString('utf8')) as [string, number][];
    const files: TranspiledFiles = {};
    let at = 4 + headLen;
    for (const [name, size] of list) {
      if (typeof name !== 'string' || !Number.isInteger(size) || size < 0 || at + size > all.length) return undefined;
      files[name] = all.subarray(at, at + size);
      at += size;
    }
    return at === all.length ? files : undefined;
  } catch {
    return undefined;
  }
}

/** Removes transpiled outputs of modules not in `used`, or made by another transpiler version. */
export function sweepTranspiled(store: ModuleStore, used: Set<string>): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(store.dir)) {
    const m = NAME.exec(name);
    if (m === null || (used.has(m[1]!) && m[2] === TRANSPILER)) continue;
    fs.rmSync(path.join(store.dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
