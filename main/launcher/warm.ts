/**
 * Warm runs in the window (issue 14.4, docs/design/warm-runs.md): compiled modules kept per app in a
 * bounded cache keyed by the module's SHA-256 (the spare workers are in spares.ts).
 */
import fs from 'node:fs';
import { type ComponentSource, loadCommand } from '../runtime/load.ts';
import type { Program } from '../runtime/p2/program.ts';
import { statSignature } from '../library/store.ts';
import { releaseBytes } from '../shared/release-bytes.ts';

import { startTrace } from './start-trace.ts';

export { startTrace };

/** How much the module cache holds at most. */
export interface CacheBounds {
  /** Compiled modules. */
  entries: number;
  /** Total size of their wasm bytes (compiled code is of the same order). */
  bytes: number;
}

/** Default bounds: a handful of apps, and at most 256 MiB of wasm (flite alone is 21 MiB). */
export const DEFAULT_CACHE_BOUNDS: CacheBounds = { entries: 8, bytes: 256 * 1024 * 1024 };

/** A module's bytes read off the main thread, and the check that they are the installed ones. */
export interface BackgroundRead {
  bytes: Uint8Array;
  /** Rejects if the bytes do not match the module's hash; nothing runs before it resolves. */
  checked: Promise<void>;
}

/**
 * A module read, checked and compiled elsewhere (a run's worker: warm-runs.md round 10): the main
 * thread neither reads, hashes nor compiles it. `module` rejects if the bytes were not the
 * installed ones (nothing of them ran); the cache hands out this very promise.
 */
export interface LoadedElsewhere {
  module: Promise<Program>;
}

/**
 * Compiles what `read` returns: checked bytes at once, or bytes read in the background, compiled
 * while their hash is checked (the module is handed out only once the check has passed).
 */
async function compileRead(read: Uint8Array | Promise<BackgroundRead>, memoryMaxBytes: number | undefined, component?: ComponentSource): Promise<{ module: Promise<Program>; size: number }> {
  if (read instanceof Uint8Array) return { module: loadCommand(read, memoryMaxBytes, component), size: read.length };
  const { bytes, checked } = await read;
  startTrace.mark?.('module read and hashed');
  const size = bytes.length;
  const compiled = loadCommand(bytes, memoryMaxBytes, component);
  if (startTrace.mark) void compiled.then(() => startTrace.mark?.('module compiled'), () => undefined);
  // A compiled module keeps V8's own copy of the bytes: the read is freed now, not at the next full
  // collection (releaseBytes; a component's transpiled program may still use them).
  void compiled.then((m) => m instanceof WebAssembly.Module && releaseBytes(bytes), () => undefined);
  compiled.catch(() => undefined); // the check's refusal comes first
  return { module: checked.then(() => compiled), size };
}

/** What each module promise of the cache resolved to, once it has. */
const resolved = new WeakMap<Promise<Program>, Program>();

/**
 * `module` itself once it has resolved (a cached module: the run's configuration then goes to its
 * worker at once, run.ts), else `module`.
 */
export function settled(module: Promise<Program>): Program | Promise<Program> {
  return resolved.get(module) ?? module;
}

interface CacheEntry {
  module: Promise<Program>;
  size: number;
  /** The stored file's identity and times when its bytes were read and hash-checked. */
  stamp: string;
}

/** The identity, size and times of file `p` (library/store.ts's signature: any write or replacement changes it), and its size. */
function stampOf(p: string): { stamp: string; size: number } {
  const st = fs.statSync(p, { bigint: true });
  return { stamp: statSignature(st), size: Number(st.size) };
}

/**
 * Compiled modules by `sha256` and memory cap, least recently used evicted first. A module is
 * served from the cache only while its stored file is unchanged since its bytes were read and
 * checked against the hash; otherwise it is read (and checked) again.
 */
export class ModuleCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly bounds: CacheBounds;
  private total = 0;

  constructor(bounds: CacheBounds = DEFAULT_CACHE_BOUNDS) {
    this.bounds = bounds;
  }

  /**
   * The compiled module of the file `file` whose content is `sha256`, its memory capped at
   * `memoryMaxBytes`; `read` returns its bytes checked against `sha256` (or throws), or a
   * `BackgroundRead` (the main thread neither reads nor hashes them), or the module loaded
   * elsewhere (`LoadedElsewhere`, counted at the file's size); `component` says where a
   * component's transpiled output is (runtime/load.ts).
   */
  load(
    sha256: string, file: string, memoryMaxBytes: number | undefined, read: () => Uint8Array | Promise<BackgroundRead> | LoadedElsewhere, component?: ComponentSource,
  ): Promise<Program> {
    const key = `${sha256}/${memoryMaxBytes ?? 'none'}`;
    let stamp: string | null;
    let fileSize = 0;
    try {
      ({ stamp, size: fileSize } = stampOf(file));
    } catch {
      stamp = null; // missing: `read` says why
    }
    const hit = this.entries.get(key);
    if (hit && stamp !== null && hit.stamp === stamp) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit.module;
    }
    if (hit) this.drop(key);
    const r = read();
    let module: Promise<Program>;
    let sized: Promise<number>;
    if (r instanceof Uint8Array || r instanceof Promise) {
      const loaded = compileRead(r, memoryMaxBytes, component);
      module = loaded.then((l) => l.module);
      sized = loaded.then((l) => l.size);
    } else {
      // Loaded elsewhere: the cache holds (and returns) that very promise, counted at the file's
      // size (a file changed meanwhile is refused by the load, and the entry dropped).
      module = r.module;
      sized = r.module.then(() => fileSize);
    }
    module.then((m) => resolved.set(module, m), () => undefined);
    if (stamp === null) return module;
    const entry: CacheEntry = { module, size: 0, stamp };
    this.entries.set(key, entry);
    module.catch(() => {
      if (this.entries.get(key) === entry) this.drop(key);
    });
    // Counted once its size is known; a module larger than the byte bound is not kept.
    void sized.then((size) => {
      if (this.entries.get(key) !== entry) return;
      if (size > this.bounds.bytes) return this.drop(key);
      entry.size = size;
      this.total += size;
      this.evict();
    }, () => undefined);
    this.evict();
    return module;
  }

  /** How many modules and wasm bytes are cached. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.total };
  }

  /** Whether `sha256` (with cap `memoryMaxBytes`) is cached. */
  has(sha256: string, memoryMaxBytes?: number): boolean {
    return this.entries.has(`${sha256}/${memoryMaxBytes ?? 'none'}`);
  }

  /** Forgets every module. */
  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.size;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.bounds.entries && this.total <= this.bounds.bytes) return;
      this.drop(key);
    }
  }
}
