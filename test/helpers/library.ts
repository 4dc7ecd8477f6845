/**
 * Helpers for the tests of the app library: libraries in fresh data folders, a snapshot of
 * everything a library holds (every row of every table + the store's files), the library's
 * invariants checked from outside, bad inputs as bytes, and an assertion for the library's error
 * codes (CodedError).
 * Paths, temp folders, the wasm assembler and the HTTP server are re-exported from their modules.
 *
 * Nothing here touches the real data folder: every home is a fresh mkdtemp folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { expect } from 'vitest';
import { Library } from '../../main/library/library.ts';
import { CodedError } from '../../main/shared/coded-error.ts';
import { fixture } from './paths.ts';
import { removeTempDirs, tempDir } from './temp.ts';
import { buildModule, sha256 } from './wasm-assembler.ts';

export { CLI, FIXTURES, FLITE, fixture, repoRoot } from './paths.ts';
export { tempDir } from './temp.ts';
export * from './wasm-assembler.ts';
export * from './http-server.ts';

// --- libraries ---------------------------------------------------------------------------------

const openLibs: Library[] = [];

/** Opens a library (tracked so `cleanup()` closes it). */
export function openLibrary(home: string): Library {
  const lib = Library.open(home);
  openLibs.push(lib);
  return lib;
}

/** A library in a fresh data folder. */
export function freshLibrary(): { home: string; lib: Library } {
  const home = tempDir('home');
  return { home, lib: openLibrary(home) };
}

/** Closes every library opened here and removes every temp folder. Call from afterEach. */
export function cleanup(): void {
  for (const lib of openLibs.splice(0)) {
    try {
      if (lib.db.open) lib.close();
    } catch {
      // already closed
    }
  }
  removeTempDirs();
}

/** Writes `bytes` to `<dir>/<name>` (creating folders) and returns the path. */
export function writeFile(dir: string, name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

// --- invariants ------------------------------------------------------------------------------

/** The file names in `<home>/store`, sorted. */
export function storeFiles(home: string): string[] {
  const dir = path.join(home, 'store');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

/** Opens the library (which sweeps), runs `f`, closes it. */
export function withLibrary<T>(home: string, f: (lib: Library) => T): T {
  const lib = Library.open(home);
  try {
    return f(lib);
  } finally {
    lib.close();
  }
}

/**
 * Checks the library's invariants after `Library.open` (and its sweep): SQLite's integrity check,
 * every app has its module file with the right hash and at least one build whose hash it is,
 * no temp files, and no module file that no app uses. Returns the problems found (empty when fine).
 */
export function libraryProblems(lib: Library): string[] {
  const problems: string[] = [];
  const integrity = lib.db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
  const fk = lib.db.pragma('foreign_key_check') as unknown[];
  if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk)}`);
  const apps = lib.db.prepare('SELECT id, name, sha256, size FROM apps').all() as { id: string; name: string; sha256: string; size: number }[];
  const used = new Set<string>();
  for (const a of apps) {
    used.add(a.sha256);
    const file = path.join(lib.home, 'store', `${a.sha256}.wasm`);
    if (!fs.existsSync(file)) {
      problems.push(`app ${a.name}: module file ${a.sha256}.wasm is missing`);
    } else {
      const bytes = fs.readFileSync(file);
      if (sha256(bytes) !== a.sha256) problems.push(`app ${a.name}: module file has another sha256`);
      if (bytes.length !== a.size) problems.push(`app ${a.name}: module file is ${bytes.length} bytes, row says ${a.size}`);
    }
    const builds = lib.db.prepare('SELECT count(*) AS n FROM builds WHERE app_id = ? AND sha256 = ?').get(a.id, a.sha256) as { n: number };
    if (builds.n < 1) problems.push(`app ${a.name}: no builds row for its module`);
  }
  for (const f of storeFiles(lib.home)) {
    if (f.startsWith('tmp-')) problems.push(`store: temp file ${f} left`);
    else if (f.endsWith('.wasm') && !used.has(f.slice(0, -5))) problems.push(`store: ${f} is used by no app`);
    else if (!f.endsWith('.wasm')) problems.push(`store: unexpected file ${f}`);
  }
  return problems;
}

// --- snapshots -------------------------------------------------------------------------------

/** Every row of every table of `db` (ordered by rowid), keyed by table name, plus user_version. */
export function tableDump(db: Database.Database): Record<string, unknown> {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as { name: string }[]).map((t) => t.name);
  const out: Record<string, unknown> = { user_version: db.pragma('user_version', { simple: true }) };
  for (const t of tables) out[t] = db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all();
  return out;
}

/** The store's files, sorted, with size and content hash. */
export function storeListing(home: string): { name: string; size: number; sha256: string }[] {
  const dir = path.join(home, 'store');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).sort().map((name) => {
    const bytes = fs.readFileSync(path.join(dir, name));
    return { name, size: bytes.length, sha256: sha256(bytes) };
  });
}

/** Names of files in the store that are not finished modules (temp files of an install). */
export function storeTemps(home: string): string[] {
  return storeListing(home).map((f) => f.name).filter((n) => !/^[0-9a-f]{64}\.wasm$/.test(n));
}

/** Everything the library holds, as one string: compare two with `toBe` for "byte-for-byte unchanged". */
export function librarySnapshot(lib: Library): string {
  return JSON.stringify({ tables: tableDump(lib.db), store: storeListing(lib.home) }, null, 1);
}

// --- errors ----------------------------------------------------------------------------------

/**
 * Awaits `p` (or calls it) and asserts it fails with a CodedError of `code` whose message
 * matches `message`; returns the error.
 */
export async function expectLibraryError(
  p: Promise<unknown> | (() => unknown),
  code: string,
  message?: RegExp,
): Promise<CodedError> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err, `expected CodedError ${code}`).toBeInstanceOf(CodedError);
  const le = err as CodedError;
  expect(le.code, `error code (message: ${le.message})`).toBe(code);
  if (message) expect(le.message).toMatch(message);
  return le;
}

/** Bad inputs, as bytes. */
export const BAD = {
  empty: new Uint8Array(0),
  text: Buffer.from('#!/bin/sh\necho this is not wasm\n'),
  random: Uint8Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) % 251),
  /** A WASI 0.2 component's preamble: magic, version 0x0d, layer 1. */
  component: Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]),
  /** A valid core module with memory but no `_start` (a library/reactor). */
  noStart: buildModule({ start: false }),
  /** The first half of a real module: a section runs past the end. */
  truncated: (): Uint8Array => {
    const b = fs.readFileSync(fixture('stdio'));
    return b.subarray(0, Math.floor(b.length / 2));
  },
};

