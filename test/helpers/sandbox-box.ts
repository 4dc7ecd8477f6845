/**
 * Host side of the sandbox battery: a throwaway folder tree with a grant and a sibling
 * "outside", a snapshot that proves afterwards that nothing outside the grant was read,
 * written, created, removed or linked to, and a runner for `terrarium run`.
 */
import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  type BigIntStats,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { type CliText, cli, RESOLVERS } from './cli.ts';
import { fixture } from './paths.ts';
import { tempDir } from './temp.ts';

export { repoRoot } from './paths.ts';

/** Absolute path of a built test program in test/fixtures (`name` with its extension). */
export function fixtureWasm(name: string): string {
  return AS_COMPONENTS ? fixture(`components/${name.replace(/\.wasm$/, '.component.wasm')}`) : fixture(name);
}

/**
 * Issue 15: set (before this module loads) by test/runtime/p2/sandbox-components.test.ts, which
 * runs the battery's programs as components built by the preview1 adapter, with one resolver.
 */
const AS_COMPONENTS = process.env.TERRARIUM_TEST_BATTERY_AS_COMPONENTS === '1';

/** How `terrarium run` ended, with its output as text. */
export type RunResult = CliText;

/**
 * Runs `terrarium run ARGS...` (the installed command, through test/helpers/cli.ts's one spawner)
 * with extra environment variables for the CLI itself, not the guest; kills it after timeoutMs.
 */
export function runCli(args: string[], timeoutMs = 30_000, env: Record<string, string> = {}): Promise<RunResult> {
  return cli(null, ['run', ...args], { env, timeoutMs });
}

/** The runtime's resolvers as (name, CLI environment) pairs (cli-run.ts); the battery runs against each. */
export const resolverModes = AS_COMPONENTS ? RESOLVERS.slice(0, 1) : RESOLVERS;

/** The "FAIL ..." lines a sandbox_check.h program printed (empty when every check passed). */
export function failLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('FAIL'));
}

/** A file's content, `{ dir: true }`, or `{ link: target }` (a symlink made at run time). */
export type TreeEntry = string | { dir: true } | { link: string };
export type TreeSpec = Record<string, TreeEntry>;

/** Creates every entry of spec under root (parents as needed; symlinks last). */
export function writeTree(root: string, spec: TreeSpec): void {
  const entries = Object.entries(spec);
  for (const [rel, entry] of entries) {
    const p = join(root, rel);
    if (typeof entry === 'string') {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, entry);
    } else if ('dir' in entry) {
      mkdirSync(p, { recursive: true });
    }
  }
  for (const [rel, entry] of entries) {
    if (typeof entry === 'object' && 'link' in entry) {
      const p = join(root, rel);
      mkdirSync(dirname(p), { recursive: true });
      symlinkSync(entry.link, p);
    }
  }
}

/** A fresh temporary root holding box/<grants...> and box/outside. */
export interface Box {
  root: string;
  box: string;
  outside: string;
  /** box/NAME: a folder for a grant (or anything else beside outside/). */
  dir(name: string): string;
  remove(): void;
}

export function makeBox(outsideSpec: TreeSpec): Box {
  const root = tempDir('sandbox');
  const box = join(root, 'box');
  const outside = join(box, 'outside');
  mkdirSync(outside, { recursive: true });
  writeTree(outside, outsideSpec);
  return {
    root,
    box,
    outside,
    dir: (name) => join(box, name),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The usual outside folder: the secret, an empty folder, and a nested secret. */
export const outsideSpec: TreeSpec = {
  'secret.txt': 'SECRET',
  'emptydir': { dir: true },
  'b/secret.txt': 'SECRET',
};

/**
 * The read-only battery's box (sandbox_readonly, for modules and components alike): box/ro holds a
 * file, a folder with a file and an empty folder, box/rw one file, and the snapshot covers the whole
 * box with both grants readable, so every case must leave all of it as it was.
 */
export function readOnlyBox(): { b: Box; ro: string; rw: string; snap: HostSnapshot } {
  const b = makeBox(outsideSpec);
  const ro = b.dir('ro');
  const rw = b.dir('rw');
  writeTree(ro, { 'file.txt': 'readonly', 'dir/inner.txt': 'inner', 'emptydir': { dir: true } });
  writeTree(rw, { 'w.txt': 'writable' });
  return { b, ro, rw, snap: HostSnapshot.take(b.root, { readable: [ro, rw] }) };
}

interface Entry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: bigint;
  size: bigint;
  ino: bigint;
  nlink: bigint;
  content?: string;
  target?: string;
}

interface Times {
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  trackAtime: boolean;
}

// Fixed times set on every snapshotted path: an atime older than the mtime, so under Linux's
// default `relatime` any read of a file or listing of a folder moves the atime.
const FROZEN_ATIME_S = 1_000_000_000;
const FROZEN_MTIME_S = 1_600_000_000;

function typeOf(st: BigIntStats): Entry['type'] {
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  return 'other';
}

/** Reads a file without moving its atime where the platform allows (Linux O_NOATIME). */
function readQuietly(p: string): string {
  const noAtime = (constants as { O_NOATIME?: number }).O_NOATIME ?? 0;
  const fd = openSync(p, constants.O_RDONLY | noAtime);
  try {
    return readFileSync(fd).toString('base64');
  } finally {
    closeSync(fd);
  }
}

function under(p: string, roots: string[]): boolean {
  return roots.some((r) => p === r || p.startsWith(r + sep));
}

function walk(root: string, skip: string[], out: Map<string, Entry>): void {
  for (const name of readdirSync(root)) {
    const p = join(root, name);
    if (under(p, skip)) continue;
    const st = lstatSync(p, { bigint: true });
    const e: Entry = { type: typeOf(st), mode: st.mode, size: st.size, ino: st.ino, nlink: st.nlink };
    if (e.type === 'file') e.content = readQuietly(p);
    if (e.type === 'symlink') e.target = readlinkSync(p);
    out.set(p, e);
    if (e.type === 'dir') walk(p, skip, out);
  }
}

let atimeProbe: boolean | undefined;

/**
 * Whether this machine's filesystem moves atimes on reads (relatime/strictatime do; noatime
 * does not). When it does not, snapshots still check everything but atimes.
 */
export function atimeRecordsReads(): boolean {
  if (atimeProbe !== undefined) return atimeProbe;
  const d = tempDir('atime');
  try {
    const f = join(d, 'f');
    writeFileSync(f, 'x');
    utimesSync(f, FROZEN_ATIME_S, FROZEN_MTIME_S);
    utimesSync(d, FROZEN_ATIME_S, FROZEN_MTIME_S);
    readFileSync(f);
    readdirSync(d);
    atimeProbe =
      lstatSync(f).atimeMs !== FROZEN_ATIME_S * 1000 && lstatSync(d).atimeMs !== FROZEN_ATIME_S * 1000;
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
  return atimeProbe;
}

export interface SnapshotOptions {
  /** Subtrees left out entirely (read-write grants, the race test's stash). */
  skip?: string[];
  /** Subtrees whose contents may legitimately be read (read-only grants): atimes not checked. */
  readable?: string[];
}

/**
 * Everything under a root except the skipped subtrees: listing, types, modes, sizes, inodes,
 * link counts, contents and symlink targets, plus every path's atime, mtime and ctime after
 * they were frozen to fixed values. `diff()` lists what changed since.
 */
export class HostSnapshot {
  private readonly entries = new Map<string, Entry>();
  private readonly times = new Map<string, Times>();
  private readonly root: string;
  private readonly skip: string[];

  private constructor(root: string, opts: SnapshotOptions) {
    this.root = root;
    this.skip = opts.skip ?? [];
    walk(root, this.skip, this.entries);
    const readable = opts.readable ?? [];
    const paths = [root, ...this.entries.keys()];
    // Deepest first, so freezing a child does not move its parent's times afterwards.
    for (const p of [...paths].reverse()) {
      if (this.entries.get(p)?.type !== 'symlink') utimesSync(p, FROZEN_ATIME_S, FROZEN_MTIME_S);
    }
    const atimes = atimeRecordsReads();
    for (const p of paths) {
      const st = lstatSync(p, { bigint: true });
      const type = p === root ? 'dir' : this.entries.get(p)!.type;
      this.times.set(p, {
        atimeNs: st.atimeNs,
        mtimeNs: st.mtimeNs,
        ctimeNs: st.ctimeNs,
        trackAtime: atimes && type !== 'symlink' && !under(p, readable),
      });
    }
  }

  static take(root: string, opts: SnapshotOptions = {}): HostSnapshot {
    return new HostSnapshot(root, opts);
  }

  /** Inode numbers of the snapshotted regular files (to spot hard links made to them). */
  fileInodes(): Set<bigint> {
    return new Set([...this.entries.values()].filter((e) => e.type === 'file').map((e) => e.ino));
  }

  private result: string[] | undefined;

  /**
   * Human-readable differences since the snapshot; empty when nothing changed. Computed once
   * (the walk it does lists folders, which moves their atimes) and then remembered.
   */
  diff(): string[] {
    this.result ??= this.compute();
    return this.result;
  }

  private compute(): string[] {
    const out: string[] = [];
    const rel = (p: string): string => relative(this.root, p) || '.';
    // Times first: the full walk below lists folders, which itself moves their atimes.
    for (const [p, t] of this.times) {
      let st: BigIntStats;
      try {
        st = lstatSync(p, { bigint: true });
      } catch {
        continue; // reported as removed below
      }
      if (t.trackAtime && st.atimeNs !== t.atimeNs) out.push(`${rel(p)}: read (atime moved)`);
      if (st.mtimeNs !== t.mtimeNs) out.push(`${rel(p)}: modified (mtime moved)`);
      if (st.ctimeNs !== t.ctimeNs) out.push(`${rel(p)}: metadata changed (ctime moved)`);
    }
    const now = new Map<string, Entry>();
    walk(this.root, this.skip, now);
    for (const [p, before] of this.entries) {
      const after = now.get(p);
      if (!after) {
        out.push(`${rel(p)}: removed`);
        continue;
      }
      for (const k of ['type', 'mode', 'size', 'ino', 'nlink', 'content', 'target'] as const) {
        if (before[k] !== after[k]) out.push(`${rel(p)}: ${k} changed`);
      }
    }
    for (const p of now.keys()) if (!this.entries.has(p)) out.push(`${rel(p)}: created`);
    return out;
  }
}

/** Paths under dir (not followed) that are hard links to any of the given inodes. */
export function hardLinksTo(dir: string, inodes: Set<bigint>): string[] {
  const found: string[] = [];
  const visit = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p, { bigint: true });
      if (st.isFile() && inodes.has(st.ino)) found.push(p);
      if (st.isDirectory()) visit(p);
    }
  };
  visit(dir);
  return found;
}
