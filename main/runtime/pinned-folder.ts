/**
 * Opening a granted folder as the person granted it (DESIGN §3.1, "What the person granted is
 * what opens"): the folder's resolved path and identity are recorded when it is granted, and a run
 * opens that path from `/` one component at a time without following any symlink, then checks the
 * identity. A folder that was replaced (a symlink anywhere on the path, gone, or another folder
 * under the same name) is stale and is not opened.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { CodedError, isCoded } from '../shared/coded-error.ts';
import { portableMode } from './host-calls/portable.ts';

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

/** A granted folder that no longer is what was granted; the message says why, in words. */
function staleFolder(reason: string): CodedError {
  return new CodedError('stale-folder', reason);
}

const O_DIR = fs.constants.O_RDONLY | (fs.constants.O_DIRECTORY ?? 0);
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** The key of an identity in a set of identities ("dev:ino"). */
export function identityKey(dev: bigint | string, ino: bigint | string): string {
  return `${dev}:${ino}`;
}

/** The root of absolute path `p` and its components after it. */
function components(p: string): { root: string; parts: string[] } {
  if (!nodePath.isAbsolute(p)) throw staleFolder(`${p} is not an absolute path`);
  const { root } = nodePath.parse(p);
  return { root, parts: p.slice(root.length).split(nodePath.sep).filter((c) => c.length > 0 && c !== '.') };
}

function refuse(at: string, err: unknown): never {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP' || code === 'ENOTDIR') {
    let link = false;
    try {
      link = fs.lstatSync(at).isSymbolicLink();
    } catch {
      link = false;
    }
    throw staleFolder(link ? `${at} was replaced by a symbolic link` : `${at} is no longer a folder`);
  }
  if (code === 'ENOENT') throw staleFolder(`${at} no longer exists`);
  throw staleFolder(`${at} cannot be opened (${code ?? (err as Error).message})`);
}

/** Linux: openat() through /proc/self/fd, O_NOFOLLOW at every step. */
function walkProcFd(parts: string[]): number {
  let fd = fs.openSync('/', O_DIR);
  let at = '';
  try {
    for (const name of parts) {
      at = `${at}/${name}`;
      let next: number;
      try {
        next = fs.openSync(`/proc/self/fd/${fd}/${name}`, O_DIR | O_NOFOLLOW);
      } catch (err) {
        refuse(at, err);
      }
      fs.closeSync(fd);
      fd = next;
    }
    return fd;
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

/** Elsewhere: lstat every component, then open with O_NOFOLLOW; the caller fstat-verifies. */
function walkPortable(resolved: string, root: string, parts: string[]): number {
  let at = root;
  for (const name of parts) {
    at = nodePath.join(at, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(at);
    } catch (err) {
      refuse(at, err);
    }
    if (st.isSymbolicLink()) throw staleFolder(`${at} was replaced by a symbolic link`);
    if (!st.isDirectory()) throw staleFolder(`${at} is no longer a folder`);
  }
  try {
    return fs.openSync(resolved, O_DIR | O_NOFOLLOW);
  } catch (err) {
    refuse(resolved, err);
  }
}

/**
 * Opens the folder `pin` records, following no symlink on the way, and returns its fd; throws
 * a `stale-folder` CodedError if it is not the folder that was granted.
 *
 * Ambient Authority: opens a host path from the root; only ever a path the person granted.
 */
export function openPinned(pin: FolderPin): number {
  const { root, parts } = components(pin.resolved);
  // On Linux the walk goes through /proc/self/fd (race-free) whichever host calls the runs use.
  const fd = portableMode === 'linux-procfd' ? walkProcFd(parts) : walkPortable(pin.resolved, root, parts);
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    if (!st.isDirectory()) throw staleFolder(`${pin.resolved} is no longer a folder`);
    const reborn = pin.born != null && st.birthtimeNs > 0n && String(st.birthtimeNs) !== pin.born;
    if (String(st.dev) !== pin.dev || String(st.ino) !== pin.ino || reborn) {
      throw staleFolder(`${pin.resolved} is another folder than the one granted (it was removed or replaced)`);
    }
    return fd;
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

/** Why the folder `pin` records is stale, or null when it is still the granted one. */
export function staleReason(pin: FolderPin): string | null {
  try {
    fs.closeSync(openPinned(pin));
    return null;
  } catch (err) {
    if (isCoded(err, 'stale-folder')) return err.message;
    throw err;
  }
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
