/**
 * Opening a granted folder as the person granted it (DESIGN §3.1, "What the person granted is
 * what opens"): the folder's resolved path and identity are recorded when it is granted, and a run
 * opens that path from `/` one component at a time without following any symlink, then checks the
 * identity. A folder that was replaced (a symlink anywhere on the path, gone, or another folder
 * under the same name) is stale and is not opened.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { type FolderPin, components, staleFolder } from '../shared/folder-pin.ts';
import { isCoded } from '../shared/coded-error.ts';
import { portableMode } from './host-calls/portable.ts';

// Making pins and finding planted links moved to the shared leaf (library and launcher need them):
// re-exported here for the importers on other branches until they import it from there.
export { type FolderPin, type PlantedLink, identityKey, isInside, pinFolder, plantedLink } from '../shared/folder-pin.ts';

const O_DIR = fs.constants.O_RDONLY | (fs.constants.O_DIRECTORY ?? 0);
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

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
  const fd = portableMode() === 'linux-procfd' ? walkProcFd(parts) : walkPortable(pin.resolved, root, parts);
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

