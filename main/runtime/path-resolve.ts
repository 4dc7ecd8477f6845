/**
 * Path resolution: the sandbox (DESIGN §3.1, WASI "path-resolution.md").
 *
 * Every guest path is resolved one component at a time from a directory the guest holds. `..` pops
 * a stack of directories we opened ourselves and never climbs above the starting one; symlinks are
 * read and expanded here, inside the sandbox, and one whose target is absolute or climbs out is
 * refused. The kernel is only ever asked to look up a single name inside a directory we hold.
 *
 * Every system call goes through the host calls (host-calls/). With the native ones (Linux and
 * macOS) each step is openat(dirfd, name, O_NOFOLLOW) on a directory fd the walk holds, so a
 * directory swapped for a symlink after a step cannot redirect us. With the portable ones on Linux
 * ("linux-procfd") each step opens `/proc/self/fd/<dirfd>/<name>`, which is openat() in all but
 * name. Elsewhere ("portable" mode) the walk checks each component with lstat and callers verify
 * an opened fd against what the walk saw (fstat after open); see `verifySame`.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { Errno } from './abi.ts';
import { WasiError } from './errors.ts';
import { checkWindowsComponent } from './windows-paths.ts';
import { hostCalls } from './host-calls/index.ts';
import { childPath, portableMode } from './host-calls/portable.ts';
import { identityKey } from './pinned-folder.ts';

export { childPath };

/** Most symlinks expanded while resolving one path (Linux's MAXSYMLINKS). */
export const MAX_SYMLINKS = 40;

const O_DIRECTORY = fs.constants.O_DIRECTORY ?? 0;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

let mode: 'native' | 'linux-procfd' | 'portable' | undefined;

/**
 * Which resolution strategy this thread uses: held fds with native or /proc calls, or by path
 * (decided with the host calls, at the first walk).
 */
export function resolverMode(): 'native' | 'linux-procfd' | 'portable' {
  return (mode ??= hostCalls.kind === 'native' ? 'native' : portableMode());
}

/**
 * A directory the walk holds: an open fd (fd-based modes) plus the host path it was reached by (for
 * messages, and for every system call in portable mode).
 */
export interface DirRef {
  fd: number;
  path: string;
  /** Portable mode: identity of the directory when the walk reached it, and how it got there. */
  dev?: bigint;
  ino?: bigint;
  parent?: DirRef;
  /**
   * Inside a folder granted read-only (least access wins, DESIGN §3.1): set when the walk started
   * read-only or entered a directory of the read-only set, and kept for everything below.
   */
  readOnly?: boolean;
  /** Native mode: the directory cache's entry this fd belongs to (closed by the cache, not the walk). */
  cached?: CachedDir;
}

/**
 * Native mode: a directory a walk opened, kept open for later walks (a walk of a tree stats every
 * entry of a folder through the same parent). An entry is used only after `fstatat(parent, name,
 * NOFOLLOW)` finds the very directory it holds (same device and inode: a held directory's inode
 * cannot be reused), which is what `openat(parent, name, O_NOFOLLOW)` would have opened at that
 * moment; anything else there (removed, renamed, replaced, a symlink) drops the entry and the walk
 * opens the name afresh. So the cache saves two system calls per step and changes no answer.
 */
interface CachedDir {
  key: string;
  fd: number;
  dev: bigint;
  ino: bigint;
  /** `ino` as its 32-bit halves (what `isDirAt` compares). */
  inoLo: number;
  inoHi: number;
  readOnly: boolean;
  /** Walks holding it now; a dropped entry is closed when the last one lets go. */
  users: number;
  dropped: boolean;
  /** The last DirRef handed out for it, reused while its parent's path and read-only flag match. */
  ref?: DirRef;
  parentPath?: string;
}

/** Most directories the cache holds open (more only while walks use them); `TERRARIUM_DIR_CACHE=0` turns it off (benchmarks, tests). */
const DIR_CACHE_MAX = process.env.TERRARIUM_DIR_CACHE === '0' ? 0 : 64;
/** By `${parent fd}/${name}`, least recently used first. */
const dirCache = new Map<string, CachedDir>();

function dropCached(c: CachedDir): void {
  if (c === lastHit) hostCalls.keepPlain?.(-1, '', -1, 0n, 0n);
  if (dirCache.get(c.key) === c) dirCache.delete(c.key);
  c.dropped = true;
  if (c.users === 0) hostCalls.close(c.fd);
}

/** Closes every directory the cache holds (at the end of a run, and when the read-only set changes). */
export function clearDirCache(): void {
  for (const c of [...dirCache.values()]) dropCached(c);
}

// The entry the last step found (a walk stats every entry of a folder through the same parent):
// checked by its parent fd and name first, before the map's key is even built.
let lastHit: CachedDir | undefined;
let lastParentFd = -1;
let lastName = '';

/**
 * The cached directory `name` of `dir` if it is still the one there (see CachedDir), else
 * undefined. The entry the last step found is tried first, in a few lines V8 optimises quickly
 * (a walk's every step comes here); any other name takes `cachedEntry`.
 */
function cachedChild(dir: DirRef, name: string): DirRef | undefined {
  const c = lastHit;
  if (c === undefined || c.dropped || lastParentFd !== dir.fd || lastName !== name) return cachedEntry(dir, name);
  if (!isSameDir(dir, name, c)) {
    dropCached(c);
    return undefined;
  }
  c.users++;
  return refOf(c, dir, name);
}

/** `cachedChild` for a name other than the last one: the map's entry, checked, becomes the last. */
function cachedEntry(dir: DirRef, name: string): DirRef | undefined {
  const c = dirCache.get(`${dir.fd}/${name}`);
  if (c === undefined) return undefined;
  if (!isSameDir(dir, name, c)) {
    dropCached(c);
    return undefined;
  }
  // Least recently used first: a hit moves to the end.
  dirCache.delete(c.key);
  dirCache.set(c.key, c);
  lastHit = c;
  lastParentFd = dir.fd;
  lastName = name;
  // The wasm walk (host-calls statPlain) steps through the last hit only, checked as here.
  hostCalls.keepPlain?.(dir.fd, name, c.fd, c.dev, c.ino);
  c.users++;
  return refOf(c, dir, name);
}

/** True when `name` of `dir` (not followed) is the very directory `c` holds; false for anything else, errors included. */
function isSameDir(dir: DirRef, name: string, c: CachedDir): boolean {
  const isDirAt = hostCalls.isDirAt;
  if (isDirAt !== undefined) return isDirAt(dir, name, c.dev, c.inoLo, c.inoHi);
  try {
    const st = hostCalls.stat(dir, name, false);
    return st.isDirectory() && st.dev === c.dev && st.ino === c.ino;
  } catch {
    return false; // gone or unreadable: the walk's own open says why
  }
}

/** A DirRef for cached entry `c` as `name` of `dir` (the last one when it is the same). */
function refOf(c: CachedDir, dir: DirRef, name: string): DirRef {
  const readOnly = dir.readOnly === true || c.readOnly;
  const r = c.ref;
  if (r !== undefined && c.parentPath === dir.path && r.readOnly === readOnly) return r;
  // Native mode only (never Windows): `name` is one component, never "." or "..".
  const path = dir.path.endsWith('/') ? dir.path + name : `${dir.path}/${name}`;
  c.ref = { fd: c.fd, path, readOnly, cached: c };
  c.parentPath = dir.path;
  return c.ref;
}

/** Keeps `next`, just opened as `name` of `dir`, in the cache; it then belongs to the cache. */
function keepChild(dir: DirRef, name: string, next: DirRef): void {
  if (DIR_CACHE_MAX === 0) {
    if (!next.readOnly) next.readOnly = isReadOnlyFd(next.fd);
    return;
  }
  const st = hostCalls.fstat(next.fd);
  const ino = st.ino;
  const c: CachedDir = {
    key: `${dir.fd}/${name}`, fd: next.fd, dev: st.dev, ino, inoLo: Number(ino & 0xffffffffn), inoHi: Number(ino >> 32n),
    readOnly: inReadOnlySet(st), users: 1, dropped: false,
  };
  const old = dirCache.get(c.key);
  if (old !== undefined) dropCached(old);
  dirCache.set(c.key, c);
  next.cached = c;
  for (const e of dirCache.values()) {
    if (dirCache.size <= DIR_CACHE_MAX) break;
    if (e.users === 0) dropCached(e);
  }
}

/** Identities ("dev:ino") of the folders granted read-only in this run (see `setReadOnlyDirs`). */
let readOnlyDirs: ReadonlySet<string> = new Set();

/**
 * Declares the folders granted read-only in this run (one worker per run, so one set per run): a
 * walk through any other grant that enters one of them continues read-only.
 */
export function setReadOnlyDirs(keys: Iterable<string>): void {
  clearDirCache();
  readOnlyDirs = new Set(keys);
}

function inReadOnlySet(st: { dev: bigint; ino: bigint }): boolean {
  return readOnlyDirs.has(identityKey(st.dev, st.ino));
}

/**
 * True when entry `name` of `dir` is itself a folder granted read-only: removing, renaming or
 * replacing it, or changing its times, changes that grant.
 */
export function isReadOnlyEntry(dir: DirRef, name: string): boolean {
  if (readOnlyDirs.size === 0 || name === '.') return false;
  try {
    const st = hostCalls.stat(dir, name, false);
    return st.isDirectory() && inReadOnlySet(st);
  } catch {
    return false;
  }
}

/** True when the opened directory `fd` is a folder granted read-only. */
export function isReadOnlyFd(fd: number): boolean {
  if (readOnlyDirs.size === 0) return false;
  return inReadOnlySet(hostCalls.fstat(fd));
}

/** Returned by a probe to say "the final component is a symlink: expand it and try again". */
export const SYMLINK = Symbol('symlink');

/** What a path operation does with the final component once the walk has reached it. */
export type Probe<T> = (dir: DirRef, name: string, mustBeDir: boolean) => T | typeof SYMLINK;

/** Options for one resolution. */
export interface ResolveOptions {
  /** Follow a symlink in the final component (lookupflags.symlink_follow, or an implied follow). */
  follow: boolean;
}

const WIN = process.platform === 'win32';

function checkComponent(name: string): void {
  if (WIN) {
    const why = checkWindowsComponent(name);
    if (why !== null) throw new WasiError(Errno.perm, `refused on Windows: ${why}`);
  }
}

/** Splits a guest path into components; absolute paths and empty paths are refused. */
export function splitPath(path: string): { parts: string[]; trailingSlash: boolean } {
  if (path.length === 0) throw new WasiError(Errno.noent, 'empty path');
  if (path.startsWith('/')) throw new WasiError(Errno.perm, 'absolute paths are not allowed');
  if (!path.includes('/')) return { parts: [path], trailingSlash: false };
  const trailingSlash = path.endsWith('/');
  const parts = path.split('/');
  // Empty parts come only from "//" or a trailing slash (a leading one is refused above).
  return { parts: trailingSlash || path.includes('//') ? parts.filter((p) => p.length > 0) : parts, trailingSlash };
}

/**
 * Resolves `path` relative to `start` and runs `probe` on the final (directory, name). `name` is a
 * single component, or "." when the path names the directory itself. A trailing slash sets
 * `mustBeDir` and makes the final component followed. Intermediate fds are closed before returning.
 */
export function resolve<T>(start: DirRef, path: string, opts: ResolveOptions, probe: Probe<T>): T {
  if (resolverMode() !== 'portable' && isPlain(path)) {
    const r = resolvePlain(start, path, opts.follow, probe);
    if (r !== SYMLINK) return r;
    // A symlink on the way: the general walk expands it, from the start.
  }
  return resolveGeneral(start, path, opts, probe);
}

/**
 * The general walk of `resolve` (a separate function: its closures would otherwise cost every
 * call, the quick walk's included, a context object).
 */
function resolveGeneral<T>(start: DirRef, path: string, opts: ResolveOptions, probe: Probe<T>): T {
  const { parts, trailingSlash } = splitPath(path);
  if (resolverMode() === 'portable') start = identify(start);
  let mustBeDir = trailingSlash;
  const follow = opts.follow || trailingSlash;
  const pending = parts.reverse();
  const stack: DirRef[] = [start];
  let links = 0;
  const top = (): DirRef => stack[stack.length - 1]!;
  const expand = (dir: DirRef, name: string, isFinal: boolean): void => {
    if (++links > MAX_SYMLINKS) throw new WasiError(Errno.loop, 'too many levels of symbolic links');
    let target: string;
    try {
      target = hostCalls.readlink(dir, name).toString('utf8');
    } catch (err) {
      // It stopped being a symlink since the step saw one (a concurrent swap): look again.
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
      pending.push(name);
      return;
    }
    if (target.length === 0) throw new WasiError(Errno.noent, 'empty symlink');
    if (target.startsWith('/') || (WIN && /^[a-zA-Z]:|^\\/.test(target))) {
      throw new WasiError(Errno.perm, 'symlink to an absolute path leaves the sandbox');
    }
    const { parts: tp, trailingSlash: ts } = splitPath(target);
    if (ts && isFinal) mustBeDir = true;
    for (let i = tp.length - 1; i >= 0; i--) pending.push(tp[i]!);
  };
  try {
    if (pending.length === 0) return runProbe(probe, start, '.', true);
    for (;;) {
      const name = pending.pop()!;
      const last = pending.length === 0;
      if (name === '..') {
        if (stack.length === 1) throw new WasiError(Errno.perm, '".." would leave the sandbox');
        closeDir(stack.pop()!);
        if (last) return runProbe(probe, top(), '.', true);
        continue;
      }
      if (name === '.') {
        if (last) return runProbe(probe, top(), '.', true);
        continue;
      }
      checkComponent(name);
      if (last) {
        if (!follow) return runProbe(probe, top(), name, mustBeDir);
        verifyChain(top());
        const r = probe(top(), name, mustBeDir);
        if (r !== SYMLINK) return r;
        expand(top(), name, true);
        continue;
      }
      const next = openChildDir(top(), name);
      if (next === SYMLINK) expand(top(), name, false);
      else stack.push(next);
    }
  } finally {
    for (let i = stack.length - 1; i > 0; i--) closeDir(stack[i]!);
  }
}

/**
 * True when `path` is one or more plain names: no leading, doubled or trailing "/" and no "." or
 * ".." component (what nearly every path a program passes looks like).
 */
export function isPlain(path: string): boolean {
  return path.length > 0 && !NOT_PLAIN.test(path);
}

/** A leading, doubled or trailing "/", or a "." or ".." component. */
const NOT_PLAIN = /^\/|\/\/|\/$|(?:^|\/)\.\.?(?:\/|$)/;

/**
 * `resolve` for a plain path (`isPlain`) in the fd-based modes, without the general walk's arrays
 * and closures: the same steps (`openChildDir` on each directory, no symlink followed, the probe on
 * the last name), so the same checks. It gives up with SYMLINK at the first symlink it would have
 * to expand, before the probe has done anything but look (probes return SYMLINK before acting),
 * and the general walk starts over.
 */
function resolvePlain<T>(start: DirRef, path: string, follow: boolean, probe: Probe<T>): T | typeof SYMLINK {
  let dir = start;
  let from = 0;
  try {
    for (;;) {
      const slash = path.indexOf('/', from);
      if (slash < 0) return plainLast(dir, from === 0 ? path : path.slice(from), follow, probe);
      // The folder the last step went through (a walk stats every entry of a folder through the
      // same one) is named by the cached name itself: no new string for it.
      const name = lastHit !== undefined && lastParentFd === dir.fd && slash - from === lastName.length && path.startsWith(lastName, from)
        ? lastName
        : path.slice(from, slash);
      const next = plainStep(dir, start, name);
      if (next === SYMLINK) return SYMLINK;
      dir = next;
      from = slash + 1;
    }
  } finally {
    if (dir !== start) closeDir(dir);
  }
}

/**
 * The plain walks' last step (`resolvePlain`, `resolveAscii`): the probe on the last name, which
 * is not followed when it is a symlink unless the call follows (then SYMLINK: the general walk
 * expands it).
 */
function plainLast<T>(dir: DirRef, name: string, follow: boolean, probe: Probe<T>): T | typeof SYMLINK {
  checkComponent(name);
  const r = probe(dir, name, false);
  if (r === SYMLINK && !follow) throw new WasiError(Errno.loop, 'unexpected symlink');
  return r;
}

/**
 * The plain walks' step into folder `name` of `dir`: the folder opened (or the cache's), `dir`
 * closed unless it is the walk's `start`; SYMLINK, with nothing closed, at a symlink (the general
 * walk starts over). A throw leaves `dir` open for the walk's own `finally`.
 */
function plainStep(dir: DirRef, start: DirRef, name: string): DirRef | typeof SYMLINK {
  checkComponent(name);
  const next = openChildDir(dir, name);
  if (next === SYMLINK) return SYMLINK;
  if (dir !== start) closeDir(dir);
  return next;
}

/** Returned by `resolveAscii` for a path that is not plain ASCII: the caller resolves its string. */
export const NOT_PLAIN_ASCII = Symbol('not plain ASCII');

/**
 * `resolvePlain` for a path still in guest memory, bytes [s, e) of `u8` (bounds-checked), that
 * `isPlainAscii` accepted, in the fd-based modes: the same steps and checks as `resolvePlain` on its
 * string, with a string made only for the last name and for a folder that is not the one the last
 * step went through (the directory cache's own name string names that one). NOT_PLAIN_ASCII in the
 * portable mode, before anything is looked at, and SYMLINK where `resolvePlain` gives up: the
 * caller then resolves the path's string (`resolve`), which answers every such path as before.
 */
export function resolveAscii<T>(
  start: DirRef, u8: Uint8Array, s: number, e: number, mem: { latin1(start: number, end: number): string }, follow: boolean, probe: Probe<T>,
): T | typeof SYMLINK | typeof NOT_PLAIN_ASCII {
  if (resolverMode() === 'portable') return NOT_PLAIN_ASCII;
  let dir = start;
  let from = s;
  try {
    for (;;) {
      let slash = from;
      while (slash < e && u8[slash] !== 0x2f) slash++;
      if (slash === e) return plainLast(dir, mem.latin1(from, e), follow, probe);
      const name = lastHit !== undefined && lastParentFd === dir.fd && sameAscii(u8, from, slash, lastName) ? lastName : mem.latin1(from, slash);
      const next = plainStep(dir, start, name);
      if (next === SYMLINK) return SYMLINK;
      dir = next;
      from = slash + 1;
    }
  } finally {
    if (dir !== start) closeDir(dir);
  }
}

/**
 * `isPlain` of bytes [s, e) of `u8`, and every byte 1..0x7f (the path's UTF-8 is then its chars,
 * and the path has nothing `GuestMemory.path` refuses but its length).
 */
export function isPlainAscii(u8: Uint8Array, s: number, e: number): boolean {
  if (s === e) return false;
  let part = s;
  for (let i = s; i <= e; i++) {
    if (i < e) {
      const c = u8[i]!;
      if (c === 0 || c > 0x7f) return false;
      if (c !== 0x2f) continue;
    }
    const len = i - part;
    if (len === 0) return false; // a leading, doubled or trailing "/"
    if (len <= 2 && u8[part] === 0x2e && (len === 1 || u8[part + 1] === 0x2e)) return false; // "." or ".."
    part = i + 1;
  }
  return true;
}

/** True when bytes [s, e) of `u8` are the chars of `name`. */
function sameAscii(u8: Uint8Array, s: number, e: number, name: string): boolean {
  if (e - s !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (u8[s + i] !== name.charCodeAt(i)) return false;
  return true;
}

function runProbe<T>(probe: Probe<T>, dir: DirRef, name: string, mustBeDir: boolean): T {
  verifyChain(dir);
  const r = probe(dir, name, mustBeDir);
  if (r === SYMLINK) throw new WasiError(Errno.loop, 'unexpected symlink');
  return r;
}

/**
 * Opens `name` inside `dir` as a directory without following a symlink; SYMLINK if it is one.
 * Only the directory cache's hit is here (a walk's every step): small enough for TurboFan to
 * inline into the walk with what it calls, so its callers' optimised code holds the whole step
 * (a larger function was compiled on its own, and its callees again, walk2.md round 6).
 */
function openChildDir(dir: DirRef, name: string): DirRef | typeof SYMLINK {
  if (resolverMode() === 'native') {
    const hit = cachedChild(dir, name);
    if (hit !== undefined) return hit;
  }
  return openChildUncached(dir, name);
}

/** `openChildDir` past the directory cache: the portable stat, or the open (kept in the cache in native mode). */
function openChildUncached(dir: DirRef, name: string): DirRef | typeof SYMLINK {
  if (resolverMode() === 'portable') {
    const st = hostCalls.stat(dir, name, false);
    if (st.isSymbolicLink()) return SYMLINK;
    if (!st.isDirectory()) throw new WasiError(Errno.notdir, 'not a directory');
    return { fd: -1, path: childPath(dir, name), dev: st.dev, ino: st.ino, parent: dir, readOnly: dir.readOnly === true || inReadOnlySet(st) };
  }
  const native = resolverMode() === 'native';
  try {
    const fd = hostCalls.open(dir, name, fs.constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    const next: DirRef = { fd, path: nodePath.join(dir.path, name), readOnly: dir.readOnly === true };
    try {
      if (native) {
        keepChild(dir, name, next);
        if (next.cached?.readOnly === true) next.readOnly = true;
      } else if (!next.readOnly) next.readOnly = isReadOnlyFd(fd);
    } catch (err) {
      hostCalls.close(fd);
      throw err;
    }
    return next;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOTDIR' || code === 'ELOOP') && isSymlink(dir, name)) return SYMLINK;
    throw err;
  }
}

/** True when `name` inside `dir` is a symlink (without following it). */
export function isSymlink(dir: DirRef, name: string): boolean {
  try {
    return hostCalls.stat(dir, name, false).isSymbolicLink();
  } catch {
    return false;
  }
}

function closeDir(d: DirRef): void {
  const c = d.cached;
  if (c === undefined) {
    if (d.fd >= 0) hostCalls.close(d.fd);
  } else if (--c.users === 0 && c.dropped) hostCalls.close(c.fd);
}

/** Portable mode: `d` with the identity of the directory its fd holds, checked against its path. */
function identify(d: DirRef): DirRef {
  if (d.fd < 0 || d.ino !== undefined) return d;
  const st = fs.fstatSync(d.fd, { bigint: true });
  const out = { ...d, dev: st.dev, ino: st.ino };
  verifyChain(out);
  return out;
}

/**
 * Portable mode: every directory from `dir` up to where the walk started must still be, at its
 * path, the directory the walk saw; otherwise something was swapped or moved and we refuse.
 */
function verifyChain(dir: DirRef): void {
  if (resolverMode() === 'portable') checkChain(dir);
}

function checkChain(dir: DirRef): void {
  for (let d: DirRef | undefined = dir; d !== undefined; d = d.parent) {
    if (d.ino === undefined) continue;
    let ok = false;
    try {
      const st = fs.lstatSync(d.path, { bigint: true });
      ok = st.isDirectory() && st.dev === d.dev && st.ino === d.ino;
    } catch {
      ok = false;
    }
    if (!ok) throw new WasiError(Errno.perm, 'a folder on the path was moved or replaced');
  }
}

/**
 * Portable mode's check after opening: the opened fd must be the file the walk resolved, reached
 * through unchanged folders; else a concurrent swap redirected the open and it is refused.
 */
export function verifySame(fd: number, dir: DirRef, name: string): void {
  if (resolverMode() !== 'portable') return;
  try {
    const a = hostCalls.fstat(fd);
    const b = hostCalls.stat(dir, name, false);
    if (a.dev !== b.dev || a.ino !== b.ino) throw new WasiError(Errno.perm, 'the file changed while it was being opened');
    verifyChain(dir);
  } catch (err) {
    hostCalls.close(fd);
    throw err;
  }
}

/**
 * A host path that lists directory `d` (its fd's own directory on Linux); elsewhere the path is
 * checked to still lead to it. Call `verifyListed` after reading it.
 */
export function listPath(d: DirRef): string {
  if (resolverMode() !== 'portable' && portableMode() === 'linux-procfd') return `/proc/self/fd/${d.fd}`;
  checkListed(d);
  return d.path;
}

/** Re-checks after a listing by path that the path still led to `d`. */
export function verifyListed(d: DirRef): void {
  if (resolverMode() === 'portable' || portableMode() !== 'linux-procfd') checkListed(d);
}

function checkListed(d: DirRef): void {
  if (resolverMode() === 'portable') return verifyChain(identify(d));
  // Native without /proc (macOS): the held fd and the path must name the same directory.
  const held = hostCalls.fstat(d.fd);
  checkChain({ fd: d.fd, path: d.path, dev: held.dev, ino: held.ino });
}
