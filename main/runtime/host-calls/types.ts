/**
 * The host's own system calls, as the sandbox needs them: every call names one component inside a
 * directory the resolver holds (a `DirRef`), never a path the kernel would walk on its own.
 *
 * Two implementations answer this interface: `native` (the C library's `*at` calls through an FFI,
 * native.ts) and `portable` (Node's `fs`, portable.ts). Errors are thrown as Node-style errors
 * with a `code` ('ENOENT', ...), so `errnoFromNode` maps both alike.
 */
import type { DirRef } from '../path-resolve.ts';
import type { FilestatLayout } from './stat.ts';

/**
 * What a stat returns: every number is a bigint and times are whole nanoseconds (never a double).
 * `fs.BigIntStats` satisfies it, so the portable implementation returns Node's own result.
 */
export interface HostStat {
  dev: bigint;
  ino: bigint;
  nlink: bigint;
  size: bigint;
  mode: bigint;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isFIFO(): boolean;
}

/** What kind of file a directory entry is, as the listing says (`unknown`: stat it to know). */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'char' | 'block' | 'socket' | 'fifo' | 'unknown';

/**
 * Where a host listing puts a directory's entries, without a stat: the listing hands over each
 * name as the bytes it read them in, so a listing makes no string, object or BigInt per entry
 * (the runtime's `DirListing`, dir-listing.ts, is the one used).
 */
export interface DirEntries {
  /**
   * Appends one entry: its name is bytes [start, end) of `src`, as the host listed them (neither
   * "." nor ".."), its inode number `inoHi`·2^32 + `inoLo` (both unsigned 32-bit). A name that is
   * not UTF-8 is listed as Buffer's decoding of it (each bad sequence U+FFFD).
   */
  addBytes(src: Uint8Array, start: number, end: number, kind: EntryKind, inoLo: number, inoHi: number): void;
  /**
   * Optional, with `count` and `end`: appends `k` entries already laid out as preview1 dirents
   * (each entry's `d_next` its index in the listing + 1): bytes [from, from + length) of `src`,
   * entry j ending at `ends[j]` (an offset in the listing's bytes, which start where `end` says).
   */
  addDirents?(src: Uint8Array, from: number, length: number, ends: Int32Array, k: number): void;
  /** How many entries the listing holds (see `addDirents`). */
  readonly count?: number;
  /** Where the listing's next entry starts (see `addDirents`). */
  readonly end?: number;
}

/** One time to set: nanoseconds since the epoch, the current time, or leave it as it is. */
export type TimeSpec = bigint | 'now' | 'omit';

/** The host calls the runtime makes on files it reaches through the resolver. */
export interface HostCalls {
  /** `native` (FFI to the C library) or `portable` (Node's `fs`). */
  readonly kind: 'native' | 'portable';
  /**
   * Opens `name` inside `dir`. `flags` are the host's `fs.constants.O_*` bits as the caller wants
   * them (the caller adds O_NOFOLLOW); the descriptor is close-on-exec. Returns the host fd.
   */
  open(dir: DirRef, name: string, flags: number, mode?: number): number;
  /** Closes a host descriptor, whichever implementation (or Node's `fs`) opened it. */
  close(fd: number): void;
  /**
   * Lists the descriptors this implementation opens in `shared` (fd-ledger.ts), so the thread
   * that started this worker can close them if the worker is terminated before it could.
   */
  trackIn(shared: SharedArrayBuffer): void;
  /** Attributes of `name` inside `dir`; a final symlink is followed only when `follow`. */
  stat(dir: DirRef, name: string, follow: boolean): HostStat;
  /**
   * True when `name` inside `dir` (a symlink not followed) is the directory on device `dev` whose
   * inode number is `inoHi`·2^32 + `inoLo`; false for anything else, errors included. Native only,
   * without making a `HostStat`: the resolver checks its cached directories this way at every
   * step (path-resolve.ts).
   */
  isDirAt?(dir: DirRef, name: string, dev: bigint, inoLo: number, inoHi: number): boolean;
  /**
   * Native only: `stat` of `name` inside `dir` into the implementation's own stat buffer, with no
   * `HostStat` made; returns the mode bits (file type and permissions). `putStat` writes that
   * buffer as a WASI `filestat`, and must come before any other call of these (they reuse the
   * buffer). A walk's `path_filestat_get` stats every entry this way (families/path.ts).
   */
  statMode?(dir: DirRef, name: string, follow: boolean): number;
  /**
   * See `statMode`: writes its stat as a WASI `filestat` (preview1's layout `F`) at `at` of the
   * guest's memory (`view` over `memory`), bounds-checked by the caller.
   */
  putStat?(guest: { readonly memory: WebAssembly.Memory; readonly view: DataView }, at: number, F: FilestatLayout, filetype: number): void;
  /**
   * Native only, Linux: `path_filestat_get`'s walk and stat in wasm for a plain ASCII path of one
   * name, or "folder/name" through the folder `keepPlain` named (plain-stat-wasm.ts): the same
   * system calls and checks as the resolver's; true when the filestat was written at `out` of
   * `guest` (bounds-checked by the caller, as the path [p, p+len) is), false, with nothing written,
   * where the resolver must walk (any other path, an error, a symlink to follow, a changed folder).
   * `startFd` is the host fd of a directory the guest holds (not an ask folder).
   */
  statPlain?(startFd: number, guest: { readonly memory: WebAssembly.Memory }, p: number, len: number, out: number, follow: boolean): boolean;
  /**
   * Native only, with `statPlain`: the directory cache's last hit, `name` of host fd `parentFd`, held
   * as `fd`, directory `ino` on device `dev` (checked again at every use); `parentFd` -1 forgets it
   * (the cache dropped it). path-resolve.ts tells it whenever its last hit changes.
   */
  keepPlain?(parentFd: number, name: string, fd: number, dev: bigint, ino: bigint): void;
  /**
   * Native only: `pread`/`pwrite` of `len` bytes between open host descriptor `fd` at file offset
   * `pos` and `mem` (a guest's memory, bounds-checked by the caller) at `ptr`, straight through
   * the C library (no Node `fs` call: its argument checks and trace lookup were most of a bulk
   * transfer's per-chunk JavaScript); the count moved. Errors are thrown as Node's would be.
   */
  readAt?(fd: number, mem: Uint8Array, ptr: number, len: number, pos: number): number;
  writeAt?(fd: number, mem: Uint8Array, ptr: number, len: number, pos: number): number;
  /** Attributes of an open host descriptor. */
  fstat(fd: number): HostStat;
  /** Sets the access and modification times of `name` inside `dir` (its symlink itself unless `follow`). */
  setTimes(dir: DirRef, name: string, follow: boolean, atim: TimeSpec, mtim: TimeSpec): void;
  /** Sets the access and modification times of an open host descriptor. */
  fsetTimes(fd: number, atim: TimeSpec, mtim: TimeSpec): void;
  /** Renames `fromName` in `from` to `toName` in `to`, replacing what is there. */
  rename(from: DirRef, fromName: string, to: DirRef, toName: string): void;
  /** Makes `toName` in `to` a hard link to `fromName` in `from` (a symlink is linked, not followed). */
  link(from: DirRef, fromName: string, to: DirRef, toName: string): void;
  /** Creates symlink `name` in `dir` with content `target`. */
  symlink(target: string, dir: DirRef, name: string): void;
  /** Removes the non-directory `name` in `dir`. */
  unlink(dir: DirRef, name: string): void;
  /** Removes the empty directory `name` in `dir`. */
  rmdir(dir: DirRef, name: string): void;
  /** Creates directory `name` in `dir`. */
  mkdir(dir: DirRef, name: string, mode?: number): void;
  /** The raw bytes of symlink `name` in `dir` (EINVAL when it is not a symlink). */
  readlink(dir: DirRef, name: string): Buffer;
  /**
   * Lists held directory `dir` from its descriptor (not by path, and without moving the
   * descriptor's own position), "." and ".." left out, appending to `out`. Absent where
   * the implementation cannot; the caller then lists by path (path-resolve.ts, `listPath`).
   */
  listDir?(dir: DirRef, out: DirEntries): void;
}
