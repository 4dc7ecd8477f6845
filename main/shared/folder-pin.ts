/**
 * Folder pins (DESIGN §3.1, "What the person granted is what opens"): when a folder is granted, its
 * resolved path and identity are recorded; a run opens exactly that folder (runtime/pinned-folder.ts,
 * `openPinned`). Making a pin and finding a symbolic link an app could have planted on the way are
 * needed by the library (granting), the launcher (checking grants) and the runtime, so they live
 * here, in the leaf every layer may import. Plain Node only.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { CodedError } from './coded-error.ts';

/**
 * What was granted: the folder's resolved absolute path and its identity (decimal strings): device
 * and inode, and its birth time where the filesystem records one, because a freed inode number is
 * reused at once (ext4 gives a folder removed and made again under its name the same inode).
 * Node reads the birth time with statx on Linux (kernel 4.11+, which Node 24 requires anyway);
 * were statx refused (an old seccomp profile), libuv would report the change time instead, and a
 * folder whose entries changed would then look replaced: stale, never wrongly opened.
 */
export interface FolderPin {
  resolved: string;
  dev: string;
  ino: string;
  /** Birth time in ns; absent (or null) where the filesystem does not record it. */
  born?: string | null;
}

/** A granted folder that no longer is what was granted: a `stale-folder` CodedError whose message says why, in words. */
export function staleFolder(reason: string): CodedError {
  return new CodedError('stale-folder', reason);
}

/** The key of an identity in a set of identities ("dev:ino"). */
export function identityKey(dev: bigint | string, ino: bigint | string): string {
  return `${dev}:${ino}`;
}

/** The root of absolute path `p` and its components after it. */
export function components(p: string): { root: string; parts: string[] } {
  if (!nodePath.isAbsolute(p)) throw staleFolder(`${p} is not an absolute path`);
  const { root } = nodePath.parse(p);
  return { root, parts: p.slice(root.length).split(nodePath.sep).filter((c) => c.length > 0 && c !== '.') };
}

/**
 * The pin of the folder `hostPath` names now (symlinks in it resolved: the person named it).
 *
 * Ambient Authority: resolves and stats a host path the person typed or chose.
 */
export function pinFolder(hostPath: string): FolderPin {
  const resolved = fs.realpathSync(hostPath);
  const st = fs.statSync(resolved, { bigint: true });
  if (!st.isDirectory()) throw staleFolder(`${hostPath} is not a folder`);
  return { resolved, dev: String(st.dev), ino: String(st.ino), born: st.birthtimeNs > 0n ? String(st.birthtimeNs) : null };
}

/** Why `openNamed` could not open a folder: `missing` (nothing there), `not-folder`, or another error code. */
export class NamedFolderError extends Error {
  readonly why: string;
  constructor(why: string) {
    super(why);
    this.why = why;
  }
}

/**
 * Linux: opens the folder `hostPath` names now (symlinks in it followed: the person named it) and
 * pins it from the open descriptor itself: its path as `/proc/self/fd` reads it, its identity by
 * fstat. The folder pinned is the folder open, with no moment between them in which a swapped
 * path could make them differ, so a run given the descriptor needs no walk to open the pin again
 * (runtime/pinned-folder.ts `openPinned` is for pins made earlier: grants). One open, one readlink,
 * one fstat, where pinning by path and opening the pin take two realpaths' lstats, a stat, and an
 * open per component. Null elsewhere (no `/proc/self/fd`): the caller pins by path (`pinFolder`).
 * Throws a `NamedFolderError`. The caller owns the descriptor.
 *
 * Ambient Authority: opens a host folder the person typed.
 */
export function openNamed(hostPath: string): { fd: number; pin: FolderPin } | null {
  if (process.platform !== 'linux') return null;
  let fd: number;
  try {
    fd = fs.openSync(hostPath, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NamedFolderError(code === 'ENOENT' ? 'missing' : code === 'ENOTDIR' ? 'not-folder' : (code ?? 'EIO'));
  }
  try {
    let resolved: string;
    try {
      resolved = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      fs.closeSync(fd);
      return null; // no /proc mounted
    }
    const st = fs.fstatSync(fd, { bigint: true });
    // A folder removed meanwhile reads as "PATH (deleted)": not what the person named any more.
    if (!nodePath.isAbsolute(resolved) || st.nlink === 0n) throw new NamedFolderError('missing');
    return { fd, pin: { resolved, dev: String(st.dev), ino: String(st.ino), born: st.birthtimeNs > 0n ? String(st.birthtimeNs) : null } };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

/** True when `p` is `root` or lies below it (both absolute, resolved). */
export function isInside(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith(nodePath.sep) ? root : `${root}${nodePath.sep}`);
}

/** A symbolic link on a path that lies inside a writable folder (an app could have put it there). */
export interface PlantedLink {
  /** Where the link is (its folder resolved). */
  link: string;
  /** The writable folder it lies in. */
  inside: string;
}

/**
 * The first symbolic link met while resolving `hostPath` that lies inside one of `writable`
 * (resolved folders some grant makes writable), or null when there is none.
 *
 * Ambient Authority: lstats and resolves the components of a host path the person named.
 */
export function plantedLink(hostPath: string, writable: readonly string[]): PlantedLink | null {
  if (writable.length === 0) return null;
  const { root, parts } = components(nodePath.resolve(hostPath));
  const pending = parts.reverse();
  let at = root;
  let links = 0;
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name === '.') continue;
    if (name === '..') {
      at = nodePath.dirname(at);
      continue;
    }
    const p = nodePath.join(at, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return null; // nothing there: the caller's own check says so
    }
    if (!st.isSymbolicLink()) {
      at = p;
      continue;
    }
    const inside = writable.find((w) => p !== w && isInside(p, w));
    if (inside !== undefined) return { link: p, inside };
    if (++links > 40) return null;
    const target = fs.readlinkSync(p);
    if (nodePath.isAbsolute(target)) {
      const t = components(target);
      at = t.root;
      pending.push(...t.parts.reverse());
    } else {
      pending.push(...target.split(process.platform === 'win32' ? /[\\/]/ : '/').filter((c) => c.length > 0).reverse());
    }
  }
  return null;
}
