/**
 * Paths: `path_open`, `path_create_directory`, `path_filestat_get`, `path_filestat_set_times`,
 * `path_link`, `path_readlink`, `path_remove_directory`, `path_rename`, `path_symlink`,
 * `path_unlink_file`. Every path goes through the resolver (path-resolve.ts); the kernel only
 * ever sees one checked name inside a directory the walk holds.
 */
import fs from 'node:fs';
import {
  Errno, FDFLAGS_ALL, Fdflags, Filetype, Layout, Lookupflags, OFLAGS_ALL, Oflags, RIGHTS_ALL, RIGHTS_DIRECTORY, RIGHTS_READ_ONLY_DENIED, RIGHTS_REGULAR_FILE, Rights,
} from '../abi.ts';
import type { Provider, WasiContext } from '../context.ts';
import { WasiError } from '../errors.ts';
import { type Descriptor, type DirectoryDescriptor, dirRef, filetypeOf, filetypeOfMode } from '../fd-table.ts';
import { writeFilestat } from '../filestat.ts';
import { type DirRef, SYMLINK, isPlainAscii, isReadOnlyEntry, isReadOnlyFd, isSymlink, resolve, resolveAscii, verifySame } from '../path-resolve.ts';
import { timeSpecs } from '../times.ts';
import { type GuestMemory, MAX_PATH_BYTES } from '../memory.ts';
import { type HostStat, hostCalls } from '../host-calls/index.ts';
import { type AskOperation, askedPath, gate, rightsForAnswer } from '../ask.ts';
import { awaitingUpgrade, mayChange } from '../upgrade.ts';

const R = Rights;
const C = fs.constants;
const WRITE_RIGHTS = R.fd_write | R.fd_allocate | R.fd_filestat_set_size;
const READ_RIGHTS = R.fd_read | R.fd_readdir;

/** Rights bits beyond the 30 preview1 defines (a comparison: a shift would make a BigInt per call). */
const RIGHTS_END = 1n << 30n;

function bigRights(v: bigint): number {
  if (v < 0n || v >= RIGHTS_END) throw new WasiError(Errno.notcapable, 'unknown rights requested');
  return Number(v);
}

/** Throws `notcapable` for a read-only `d`, unless the change may still ask to upgrade it (upgrade.ts). */
function mutating(d: DirectoryDescriptor): void {
  if (d.readOnly && !awaitingUpgrade(d)) throw new WasiError(Errno.notcapable, 'read-only grant');
}

/**
 * Throws `notcapable` unless entry `name` of `at` (the directory the walk ended in) may be changed
 * through `d` by `operation`: least access wins, so nothing inside a folder granted read-only,
 * nor that folder itself, is changed through a wider grant (DESIGN §3.1); a read-only folder the
 * person may widen asks first (upgrade.ts).
 */
function mutable(ctx: WasiContext, d: DirectoryDescriptor, at: DirRef, name: string, operation: AskOperation): void {
  mutating(d);
  if (at.readOnly === true) throw new WasiError(Errno.notcapable, 'inside a read-only grant');
  if (isReadOnlyEntry(at, name)) throw new WasiError(Errno.notcapable, 'a folder granted read-only');
  // mayChange passes a writable descriptor at once: its path is built only for one that may ask.
  if (d.readOnly) mayChange(ctx, d, operation, askedPath(at.path, name));
}

function notDirAfterSlash(dir: DirRef, name: string): never {
  const st = hostCalls.stat(dir, name, false);
  throw new WasiError(st.isDirectory() ? Errno.isdir : Errno.notdir, 'trailing slash');
}

/**
 * What an open through the ask root does to the entry `st` (undefined: nothing there): the
 * operation the person is asked about, and the only one the opened descriptor may then do.
 */
function askedOpen(st: HostStat | undefined, oflags: number, write: boolean, dirWanted: boolean): AskOperation {
  if (st === undefined && (oflags & Oflags.creat)) return 'create';
  if (oflags & Oflags.trunc) return 'truncate';
  if (write) return 'write';
  return dirWanted || st?.isDirectory() ? 'list' : 'read';
}

/** lstat of `name`, or undefined when nothing is there. */
function statOrNone(at: DirRef, name: string): HostStat | undefined {
  try {
    return hostCalls.stat(at, name, false);
  } catch {
    return undefined;
  }
}

/** lstat of `name`, or SYMLINK when following and it is one. */
function statProbe(follow: boolean) {
  return (dir: DirRef, name: string, mustBeDir: boolean): HostStat | typeof SYMLINK => {
    const st = hostCalls.stat(dir, name, false);
    if ((follow || mustBeDir) && st.isSymbolicLink()) return SYMLINK;
    if (mustBeDir && !st.isDirectory()) throw new WasiError(Errno.notdir, 'not a directory');
    return st;
  };
}

/**
 * `path_filestat_get` in an ask folder: each step asks to read. Its own function, so the common
 * call captures nothing (a closure's variables would cost every call a context object).
 */
function statAsked(ctx: WasiContext, dir: DirectoryDescriptor, path: string, follow: boolean): HostStat {
  return resolve(dirRef(dir), path, { follow }, (at, name, mustBeDir) => {
    const r = statProbe(follow)(at, name, mustBeDir);
    if (r !== SYMLINK) gate(ctx.asker, dir.ask, at.path, name, 'read');
    return r;
  });
}

// path_filestat_get outside an ask folder (nothing to ask): the same probes for every call.
const statFollow = statProbe(true);
const statNoFollow = statProbe(false);

/**
 * Where `statOutProbe` writes the filestat: set by `path_filestat_get` just before its walk (host
 * calls are synchronous and never nested, so one place serves every call).
 */
let statOutMem: GuestMemory | undefined;
let statOutAt = 0;
const S_IFMT = C.S_IFMT;
const S_IFLNK = C.S_IFLNK ?? -1;

/**
 * `statProbe` with the native calls' `statMode`/`putStat`: the final entry's stat is written
 * into the guest's filestat straight from the host's stat buffer, no `HostStat` made. It writes
 * only once the entry is the answer (not a symlink to follow): nothing after it can fail.
 */
function statOutProbe(follow: boolean) {
  return (dir: DirRef, name: string, mustBeDir: boolean): 0 | typeof SYMLINK => {
    const mode = hostCalls.statMode!(dir, name, false);
    const type = mode & S_IFMT;
    if ((follow || mustBeDir) && type === S_IFLNK) return SYMLINK;
    if (mustBeDir && type !== C.S_IFDIR) throw new WasiError(Errno.notdir, 'not a directory');
    hostCalls.putStat!(statOutMem!, statOutAt >>> 0, Layout.filestat, filetypeOfMode(mode));
    return 0;
  };
}
const statOutFollow = statOutProbe(true);
const statOutNoFollow = statOutProbe(false);
const FOLLOW = { follow: true } as const;
/** The rights an open not made through the ask root is limited to by an answer: none. */
const UNASKED = { base: RIGHTS_ALL, inheriting: RIGHTS_ALL } as const;
const NOFOLLOW = { follow: false } as const;

/**
 * The WASI filetype of `fd`, just opened with host `flags`. An open that created the file
 * (O_CREAT with O_EXCL, and no O_DIRECTORY, succeeded) made a regular file, so no stat is needed;
 * otherwise the descriptor is stat'ed (natively when the host calls are: no `fs.Stats` made).
 */
function openedType(fd: number, flags: number): number {
  const CREATED = C.O_CREAT | C.O_EXCL;
  if ((flags & (CREATED | C.O_DIRECTORY)) === CREATED) return Filetype.regular_file;
  return filetypeOf(hostCalls.kind === 'native' ? hostCalls.fstat(fd) : fs.fstatSync(fd));
}

/** The path family. */
export function pathOps(ctx: WasiContext) {
  const { fds } = ctx;
  const follows = (flags: number): boolean => (flags & Lookupflags.symlink_follow) !== 0;

  return {
    /**
     * Opens or creates `path` relative to directory `fd`. The new descriptor gets the requested
     * rights, which must be among the directory's inheriting rights (`notcapable` otherwise), less
     * those that do not apply to the file's type. Through the ask root it also gets no more than
     * the answer it was opened by (ask.ts `rightsForAnswer`).
     */
    path_open: (
      fd: number, dirflags: number, pathPtr: number, pathLen: number, oflags: number,
      baseBig: bigint, inheritingBig: bigint, fdflags: number, out: number,
    ) => {
      const base = bigRights(baseBig);
      const inheriting = bigRights(inheritingBig);
      let need = R.path_open;
      if (oflags & Oflags.creat) need |= R.path_create_file;
      if (oflags & Oflags.trunc) need |= R.path_filestat_set_size;
      const dir = fds.dir(fd, need, base | inheriting);
      if (oflags & (Oflags.creat | Oflags.trunc)) mutating(dir);
      if (oflags & ~OFLAGS_ALL) throw new WasiError(Errno.inval, 'bad oflags');
      // A directory can be neither created, exclusively opened nor truncated by path_open.
      if ((oflags & Oflags.directory) && (oflags & (Oflags.creat | Oflags.excl | Oflags.trunc))) {
        throw new WasiError(Errno.inval, 'O_DIRECTORY with O_CREAT, O_EXCL or O_TRUNC');
      }
      const path = ctx.mem.path(pathPtr, pathLen);
      ctx.mem.check(out, 4);
      const wantDir = (oflags & Oflags.directory) !== 0;
      const write = (base & WRITE_RIGHTS) !== 0 || (oflags & Oflags.trunc) !== 0;
      if (write) mutating(dir);
      if (wantDir && write) throw new WasiError(Errno.isdir, 'cannot write a directory');
      const read = (base & READ_RIGHTS) !== 0;
      let flags = C.O_NOFOLLOW | (write ? (read ? C.O_RDWR : C.O_WRONLY) : C.O_RDONLY);
      if (oflags & Oflags.creat) flags |= C.O_CREAT;
      if (oflags & Oflags.excl) flags |= C.O_EXCL;
      if (oflags & Oflags.trunc) flags |= C.O_TRUNC;
      if (fdflags & Fdflags.dsync) flags |= C.O_DSYNC ?? 0;
      if (fdflags & (Fdflags.sync | Fdflags.rsync)) flags |= C.O_SYNC ?? 0;

      let answered: AskOperation | undefined;
      let answeredPath = '';
      const opened = resolve(dirRef(dir), path, { follow: follows(dirflags) }, (at, name, mustBeDir) => {
        let f = flags | (wantDir || mustBeDir ? C.O_DIRECTORY : 0);
        if (write || (oflags & (Oflags.creat | Oflags.trunc))) {
          // A folder awaiting an upgrade is asked by what the open would do (as the ask root is).
          const op = awaitingUpgrade(dir) ? askedOpen(statOrNone(at, name), oflags, write, false) : 'write';
          mutable(ctx, dir, at, name, op);
        }
        if (dir.ask) {
          // Ask before anything is opened: what the open would do, decided from what is there.
          const st = statOrNone(at, name);
          if (st?.isSymbolicLink() && (follows(dirflags) || mustBeDir)) return SYMLINK;
          answered = askedOpen(st, oflags, write, wantDir || mustBeDir);
          answeredPath = askedPath(at.path, name);
          gate(ctx.asker, true, at.path, name, answered);
          // The open may do only what was answered, even if the entry changes meanwhile: a
          // "create" creates (never opens what appeared), anything else never creates.
          if (answered === 'create') f |= C.O_EXCL;
          else if (st !== undefined && (f & C.O_CREAT)) {
            if (f & C.O_EXCL) throw new WasiError(Errno.exist, 'file exists');
            f &= ~C.O_CREAT;
          }
        }
        try {
          const hostFd = hostCalls.open(at, name, f, 0o666);
          verifySame(hostFd, at, name);
          return { hostFd, hostPath: `${at.path}/${name}`, readOnly: at.readOnly === true, flags: f };
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if ((code === 'ELOOP' || code === 'ENOTDIR') && (follows(dirflags) || mustBeDir) && isSymlink(at, name)) return SYMLINK;
          throw err;
        }
      });
      let filetype: number;
      try {
        filetype = openedType(opened.hostFd, opened.flags);
      } catch (err) {
        hostCalls.close(opened.hostFd);
        throw err;
      }
      const answerRights = answered === undefined ? UNASKED : rightsForAnswer(answered);
      const isDir = filetype === Filetype.directory;
      let readOnly: boolean;
      // Reached through a folder awaiting an upgrade, and in no other read-only folder: it keeps
      // its rights, and each change through it asks (upgrade.ts).
      let upgradable = false;
      try {
        const nested = opened.readOnly || (isDir && isReadOnlyFd(opened.hostFd));
        readOnly = dir.readOnly || nested;
        upgradable = readOnly && awaitingUpgrade(dir) && !nested;
      } catch (err) {
        hostCalls.close(opened.hostFd);
        throw err;
      }
      const denied = readOnly && !upgradable ? RIGHTS_READ_ONLY_DENIED : 0;
      const { hostFd, hostPath } = opened;
      const rightsBase = base & (isDir ? RIGHTS_DIRECTORY : RIGHTS_REGULAR_FILE) & answerRights.base & ~denied;
      const rightsInheriting = inheriting & dir.rightsInheriting & answerRights.inheriting & ~denied;
      const flagsKept = fdflags & FDFLAGS_ALL;
      const mayUpgrade = upgradable || undefined;
      const { ask, origin } = dir;
      const answer = answered === undefined ? undefined : { operation: answered, path: answeredPath, generation: ctx.asker?.generation() ?? 0 };
      // One object each, written out (a spread of a shared part made every open build two).
      const d: Descriptor = isDir
        ? { kind: 'dir', filetype: Filetype.directory, hostFd, rightsBase, rightsInheriting, fdflags: flagsKept, readOnly, upgradable: mayUpgrade, hostPath, ask, origin, answer }
        : { kind: 'file', filetype, position: 0, hostFd, rightsBase, rightsInheriting, fdflags: flagsKept, readOnly, upgradable: mayUpgrade, hostPath, ask, origin, answer };
      ctx.mem.setU32(out, fds.add(d));
      return 0;
    },
    /** Creates a directory. */
    path_create_directory: (fd: number, p: number, len: number) => {
      const dir = fds.dir(fd, R.path_create_directory);
      mutating(dir);
      resolve(dirRef(dir), ctx.mem.path(p, len), { follow: false }, (at, name) => {
        mutable(ctx, dir, at, name, 'create');
        gate(ctx.asker, dir.ask, at.path, name, 'create');
        hostCalls.mkdir(at, name);
      });
      return 0;
    },
    /** Writes the attributes of `path` (following a final symlink when asked). */
    path_filestat_get: (fd: number, flags: number, p: number, len: number, out: number) => {
      const dir = fds.dir(fd, R.path_filestat_get);
      const follow = follows(flags);
      if (dir.ask !== true && hostCalls.statMode !== undefined && len >>> 0 <= MAX_PATH_BYTES) {
        // A plain ASCII path is walked from guest memory (no string for the whole path); any
        // other, and one with a symlink to expand, as its string below (the same errors, in order).
        ctx.mem.check(p, len);
        // A walk's "name" and "folder/name" in wasm when `out` is in bounds (else the walks below
        // report the path's errors first): declined, nothing is written and they walk as before.
        const statPlain = hostCalls.statPlain;
        if (statPlain !== undefined && ctx.mem.fits(out, Layout.filestat.bytes) && statPlain(dir.hostFd, ctx.mem, p >>> 0, len >>> 0, out >>> 0, follow)) return 0;
        const s = p >>> 0;
        const e = s + (len >>> 0);
        const probe = follow ? statOutFollow : statOutNoFollow;
        if (isPlainAscii(ctx.mem.u8, s, e)) {
          ctx.mem.check(out, Layout.filestat.bytes);
          statOutMem = ctx.mem;
          statOutAt = out;
          if (resolveAscii(dirRef(dir), ctx.mem.u8, s, e, ctx.mem, follow, probe) === 0) return 0;
        }
      }
      const path = ctx.mem.path(p, len);
      ctx.mem.check(out, Layout.filestat.bytes);
      if (dir.ask !== true && hostCalls.statMode !== undefined) {
        statOutMem = ctx.mem;
        statOutAt = out;
        resolve(dirRef(dir), path, follow ? FOLLOW : NOFOLLOW, follow ? statOutFollow : statOutNoFollow);
        return 0;
      }
      const st = dir.ask !== true
        ? resolve(dirRef(dir), path, follow ? FOLLOW : NOFOLLOW, follow ? statFollow : statNoFollow)
        : statAsked(ctx, dir, path, follow);
      writeFilestat(ctx.mem, out, st);
      return 0;
    },
    /** Sets the access and/or modification times of `path`. */
    path_filestat_set_times: (
      fd: number, flags: number, p: number, len: number, atim: bigint, mtim: bigint, fstflags: number,
    ) => {
      const dir = fds.dir(fd, R.path_filestat_set_times);
      mutating(dir);
      const path = ctx.mem.path(p, len);
      resolve(dirRef(dir), path, { follow: follows(flags) }, (at, name, mustBeDir) => {
        const st = statProbe(follows(flags))(at, name, mustBeDir);
        if (st === SYMLINK) return SYMLINK;
        mutable(ctx, dir, at, name, 'set-times');
        gate(ctx.asker, dir.ask, at.path, name, 'set-times');
        hostCalls.setTimes(at, name, false, ...timeSpecs(atim, mtim, fstflags));
        return 0;
      });
      return 0;
    },
    /** Creates a hard link `newPath` (in `newFd`) to `oldPath` (in `oldFd`). */
    path_link: (
      oldFd: number, oldFlags: number, oldP: number, oldLen: number, newFd: number, newP: number, newLen: number,
    ) => {
      const from = fds.dir(oldFd, R.path_link_source);
      const to = fds.dir(newFd, R.path_link_target);
      mutating(from);
      mutating(to);
      const oldPath = ctx.mem.path(oldP, oldLen);
      const newPath = ctx.mem.path(newP, newLen);
      resolve(dirRef(from), oldPath, { follow: follows(oldFlags) }, (oa, on, oDir) => {
        const st = statProbe(follows(oldFlags))(oa, on, oDir);
        if (st === SYMLINK) return SYMLINK;
        if (st.isDirectory()) throw new WasiError(Errno.perm, 'cannot hard-link a directory');
        mutable(ctx, from, oa, on, 'link');
        // A hard link is lasting access to the file through another folder: a change on both sides.
        gate(ctx.asker, from.ask, oa.path, on, 'link');
        return resolve(dirRef(to), newPath, { follow: false }, (na, nn, nDir) => {
          if (nDir) throw new WasiError(Errno.noent, 'trailing slash on a link name');
          mutable(ctx, to, na, nn, 'link');
          gate(ctx.asker, to.ask, na.path, nn, 'link');
          hostCalls.link(oa, on, na, nn);
          return 0;
        });
      });
      return 0;
    },
    /** Reads a symlink's target into `buf` (truncated to `bufLen`); writes the byte count. */
    path_readlink: (fd: number, p: number, len: number, buf: number, bufLen: number, bufused: number) => {
      const dir = fds.dir(fd, R.path_readlink);
      const path = ctx.mem.path(p, len);
      ctx.mem.check(buf, bufLen);
      ctx.mem.check(bufused, 4);
      const target = resolve(dirRef(dir), path, { follow: false }, (at, name, mustBeDir) => {
        // "link/" names what the link points to (POSIX): follow it; a folder there is no link.
        if (mustBeDir) {
          if (isSymlink(at, name)) return SYMLINK;
          throw new WasiError(hostCalls.stat(at, name, false).isDirectory() ? Errno.inval : Errno.notdir, 'not a symbolic link');
        }
        gate(ctx.asker, dir.ask, at.path, name, 'read');
        return hostCalls.readlink(at, name);
      });
      const n = Math.min(target.length, bufLen);
      ctx.mem.write(buf, target.subarray(0, n));
      ctx.mem.setU32(bufused, n);
      return 0;
    },
    /** Removes an empty directory. */
    path_remove_directory: (fd: number, p: number, len: number) => {
      const dir = fds.dir(fd, R.path_remove_directory);
      mutating(dir);
      resolve(dirRef(dir), ctx.mem.path(p, len), { follow: false }, (at, name) => {
        if (name === '.') throw new WasiError(Errno.inval, 'cannot remove "."');
        mutable(ctx, dir, at, name, 'delete');
        gate(ctx.asker, dir.ask, at.path, name, 'delete');
        hostCalls.rmdir(at, name);
        return 0;
      });
      return 0;
    },
    /** Renames `oldPath` (in `fd`) to `newPath` (in `newFd`), replacing what is there. */
    path_rename: (fd: number, oldP: number, oldLen: number, newFd: number, newP: number, newLen: number) => {
      const from = fds.dir(fd, R.path_rename_source);
      const to = fds.dir(newFd, R.path_rename_target);
      mutating(from);
      mutating(to);
      const oldPath = ctx.mem.path(oldP, oldLen);
      const newPath = ctx.mem.path(newP, newLen);
      resolve(dirRef(from), oldPath, { follow: false }, (oa, on, oDir) => {
        if (on === '.') throw new WasiError(Errno.inval, 'cannot rename "."');
        if (oDir && !hostCalls.stat(oa, on, false).isDirectory()) throw new WasiError(Errno.notdir, 'not a directory');
        mutable(ctx, from, oa, on, 'rename');
        return resolve(dirRef(to), newPath, { follow: false }, (na, nn, nDir) => {
          if (nn === '.') throw new WasiError(Errno.inval, 'cannot rename onto "."');
          mutable(ctx, to, na, nn, 'rename');
          if (nDir && !hostCalls.stat(oa, on, false).isDirectory()) throw new WasiError(Errno.notdir, 'not a directory');
          gate(ctx.asker, from.ask, oa.path, on, 'rename');
          gate(ctx.asker, to.ask, na.path, nn, 'rename');
          hostCalls.rename(oa, on, na, nn);
          return 0;
        });
      });
      return 0;
    },
    /** Creates a symlink `newPath` whose target is `oldPath`; absolute targets are refused. */
    path_symlink: (oldP: number, oldLen: number, fd: number, newP: number, newLen: number) => {
      const dir = fds.dir(fd, R.path_symlink);
      mutating(dir);
      const target = ctx.mem.path(oldP, oldLen);
      const path = ctx.mem.path(newP, newLen);
      if (target.length === 0) throw new WasiError(Errno.noent, 'empty symlink target');
      if (target.startsWith('/') || (process.platform === 'win32' && /^[a-zA-Z]:|^\\/.test(target))) {
        throw new WasiError(Errno.perm, 'symlinks to absolute paths are not allowed');
      }
      resolve(dirRef(dir), path, { follow: false }, (at, name, mustBeDir) => {
        if (mustBeDir) {
          // As Wasmtime on unix: an existing entry wins (exist, or notdir for a file); else noent.
          let st: HostStat | undefined;
          try {
            st = hostCalls.stat(at, name, false);
          } catch {
            st = undefined;
          }
          throw new WasiError(st === undefined ? Errno.noent : st.isDirectory() ? Errno.exist : Errno.notdir, 'trailing slash on a symlink name');
        }
        mutable(ctx, dir, at, name, 'create');
        gate(ctx.asker, dir.ask, at.path, name, 'create');
        hostCalls.symlink(target, at, name);
        return 0;
      });
      return 0;
    },
    /** Removes a file or symlink (not a directory: `isdir`). */
    path_unlink_file: (fd: number, p: number, len: number) => {
      const dir = fds.dir(fd, R.path_unlink_file);
      mutating(dir);
      resolve(dirRef(dir), ctx.mem.path(p, len), { follow: false }, (at, name, mustBeDir) => {
        if (name === '.') throw new WasiError(Errno.isdir, 'is a directory');
        if (mustBeDir) notDirAfterSlash(at, name);
        mutable(ctx, dir, at, name, 'delete');
        gate(ctx.asker, dir.ask, at.path, name, 'delete');
        hostCalls.unlink(at, name);
        return 0;
      });
      return 0;
    },
  } satisfies Provider;
}
