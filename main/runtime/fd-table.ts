import fs from 'node:fs';
import { Errno, Filetype } from './abi.ts';
import { WasiError } from './errors.ts';
import type { DirRef } from './path-resolve.ts';
import type { AskAnswer } from './ask.ts';
import { hostCalls } from './host-calls/index.ts';
import { type DirListing, releaseListing } from './dir-listing.ts';

/** Most descriptors a guest may hold open at once. */
export const MAX_FDS = 1024;

export type { DirListing };

/** Which stdio stream a 'stdio' descriptor is: stdin, stdout or stderr. */
export type StdioStream = 0 | 1 | 2;

/** What every descriptor has: its type, flags and rights (checked when it is fetched). */
interface DescriptorBase {
  filetype: number;
  rightsBase: number;
  rightsInheriting: number;
  fdflags: number;
}

/** A stdio stream: its bytes go through the run's rings; no host fd is behind it. */
export interface StdioDescriptor extends DescriptorBase {
  kind: 'stdio';
  stream: StdioStream;
}

/** What a descriptor holding a host fd has, file or directory. */
interface HostDescriptor extends DescriptorBase {
  hostFd: number;
  /** Granted read-only: nothing reached through this descriptor may be changed. */
  readOnly: boolean;
  /**
   * Read-only only because its folder is a read-only grant the person may widen (upgrade.ts): it
   * holds the rights of a writable descriptor, and every change through it asks first.
   */
  upgradable?: boolean;
  /** Host path it was opened by (messages only; never used to reach the file again on Linux). */
  hostPath: string;
  /** The preopen this descriptor was reached from (its grant can be revoked while running). */
  origin: number;
  /** Reached through ask mode's root: accesses below it are asked about. */
  ask: boolean;
  /**
   * Opened through an ask answer: the answer's operation and path, and the ask generation it was
   * last confirmed in. When answers are taken back (a revocation, perhaps in another process), the
   * descriptor's next use asks again (FdTable.recheck) instead of outliving the answer.
   */
  answer?: AskAnswer;
}

/** An open file (or other non-directory) the guest reads and writes at an offset we keep. */
export interface FileDescriptor extends HostDescriptor {
  kind: 'file';
  /** Our own file offset (Node has no lseek, so every access is positional). */
  position: number;
}

/** An open directory: a preopen (with its guest name) or one opened below it. */
export interface DirectoryDescriptor extends HostDescriptor {
  kind: 'dir';
  filetype: typeof Filetype.directory;
  /** Guest name of a preopened directory; absent for one opened by path_open. */
  preopen?: string;
  /** The listing `fd_readdir` pages through, read again at cookie 0. */
  listing?: DirListing;
  /** The resolver's handle on it (`dirRef`), kept for the next path call. */
  ref?: DirRef;
}

/** One entry of the guest's descriptor table, by kind. */
export type Descriptor = StdioDescriptor | FileDescriptor | DirectoryDescriptor;

/** A descriptor backed by a host fd: a file or a directory. */
export type HostBackedDescriptor = FileDescriptor | DirectoryDescriptor;

/**
 * The directory handle the path resolver starts from for a 'dir' descriptor: one per descriptor,
 * made again whenever a field it copies differs (nothing changes them today, but a test or a later
 * writer might). The resolver never writes to the handle it starts from (only to the ones it opens).
 */
export function dirRef(d: DirectoryDescriptor): DirRef {
  // A folder awaiting an upgrade is checked by the operation itself (upgrade.ts `mayChange`); the
  // walk marks only what lies in another read-only folder.
  const readOnly = d.readOnly && d.upgradable !== true;
  const r = d.ref;
  if (r !== undefined && r.fd === d.hostFd && r.path === d.hostPath && r.readOnly === readOnly) return r;
  return (d.ref = { fd: d.hostFd, path: d.hostPath, readOnly });
}

/** Throws `notcapable` unless `d` (descriptor `fd`) holds every right in `base` and `inheriting`. */
export function holds(d: Descriptor, fd: number, base: number, inheriting: number): void {
  if ((d.rightsBase & base) !== base || (d.rightsInheriting & inheriting) !== inheriting) {
    throw new WasiError(Errno.notcapable, `descriptor ${fd} lacks the right for this operation`);
  }
}

const REVOKED = 'the grant behind this descriptor was revoked';

/** The guest's descriptor table. Rights are checked when a descriptor is fetched (uvwasi). */
export class FdTable {
  private readonly slots: (Descriptor | undefined)[] = [];
  private readonly revoked: Int32Array | undefined;

  /**
   * Confirms that the ask answer a descriptor was opened by still holds (throws `acces` when it
   * was taken back); set by the worker when the run has an ask root.
   */
  recheck?: (answer: AskAnswer) => void;

  /** `revoked` flags, one per preopen, are set by main when a grant is revoked mid-run. */
  constructor(revoked?: Int32Array) {
    this.revoked = revoked;
  }

  /**
   * The descriptor `fd`, which must hold every right in `base` (and `inheriting`):
   * `badf` if it is not open, `notcapable` if it lacks a right.
   */
  get(fd: number, base: number, inheriting = 0): Descriptor {
    const d = this.slots[fd];
    if (d === undefined) throw new WasiError(Errno.badf, `bad file descriptor ${fd}`);
    if (d.kind !== 'stdio') this.live(d);
    holds(d, fd, base, inheriting);
    return d;
  }

  /**
   * `get(fd, 0)` for the byte calls (fd_read, fd_write, fd_pread, fd_pwrite): the same checks in
   * the same order (`badf`, a revoked grant, an answer to confirm; no right asked, which `holds`
   * never refuses). A function of its own so that its optimised code has seen only what those
   * calls see: `get` also fetches every path call's directory, and V8's code for it, optimised
   * during a run of writes to a file, was thrown away at the next open ("wrong map", iospeed.md
   * round 7). `live`'s two checks are written out here: a call to it was one more function V8
   * compiled on its own per run (~1 M background instructions in a bigfile run).
   */
  io(fd: number): Descriptor {
    const d = this.slots[fd];
    if (d === undefined) throw new WasiError(Errno.badf, `bad file descriptor ${fd}`);
    if (d.kind !== 'stdio') {
      if (this.revoked !== undefined && Atomics.load(this.revoked, d.origin) !== 0) throw new WasiError(Errno.acces, REVOKED);
      if (d.answer !== undefined) this.recheck?.(d.answer);
    }
    return d;
  }

  /** Throws `acces` when the grant behind `d` was revoked or the answer it was opened by was taken back. */
  private live(d: HostBackedDescriptor): void {
    if (this.revoked !== undefined && Atomics.load(this.revoked, d.origin) !== 0) {
      throw new WasiError(Errno.acces, REVOKED);
    }
    if (d.answer !== undefined) this.recheck?.(d.answer);
  }

  /**
   * The descriptor `fd` if it is a directory holding `base` rights: `badf` for a stream, `notdir`
   * for a file (as Wasmtime answers).
   */
  dir(fd: number, base: number, inheriting = 0): DirectoryDescriptor {
    const d = this.get(fd, 0);
    if (d.kind === 'stdio') throw new WasiError(Errno.badf, `descriptor ${fd} is not a directory`);
    if (d.kind !== 'dir') throw new WasiError(Errno.notdir, `descriptor ${fd} is not a directory`);
    holds(d, fd, base, inheriting);
    return d;
  }

  /**
   * The descriptor `fd` for a byte operation holding `base` rights: a directory is `badf`; a
   * stream is `spipe` when the operation needs an offset (`seekable`), as POSIX and Wasmtime say.
   */
  bytes(fd: number, base: number, seekable: true): FileDescriptor;
  bytes(fd: number, base: number, seekable: false): FileDescriptor | StdioDescriptor;
  bytes(fd: number, base: number, seekable: boolean): FileDescriptor | StdioDescriptor {
    const d = this.get(fd, 0);
    if (d.kind === 'dir') throw new WasiError(Errno.badf, `descriptor ${fd} is a directory`);
    if (seekable && d.kind === 'stdio') throw new WasiError(Errno.spipe, `descriptor ${fd} is a stream`);
    holds(d, fd, base, 0);
    return d;
  }

  /** Places `d` at the lowest free number; `mfile` past MAX_FDS. */
  add(d: Descriptor): number {
    let fd = 0;
    while (fd < this.slots.length && this.slots[fd] !== undefined) fd++;
    if (fd >= MAX_FDS) {
      if (d.kind !== 'stdio') hostCalls.close(d.hostFd);
      throw new WasiError(Errno.mfile, 'too many open files');
    }
    this.slots[fd] = d;
    return fd;
  }

  /** Closes `fd` and its host fd. */
  close(fd: number): void {
    const d = this.slots[fd];
    if (d === undefined) throw new WasiError(Errno.badf, `bad file descriptor ${fd}`);
    this.slots[fd] = undefined;
    if (d.kind === 'dir' && d.listing !== undefined) releaseListing(d.listing);
    if (d.kind !== 'stdio') hostCalls.close(d.hostFd);
  }

  /** Moves `from` onto `to` (which must be open), closing what `to` held. */
  renumber(from: number, to: number): void {
    const d = this.get(from, 0);
    this.get(to, 0);
    if (from === to) return;
    this.close(to);
    this.slots[to] = d;
    this.slots[from] = undefined;
  }

  /** Closes every host fd (end of run). */
  closeAll(): void {
    for (const d of this.slots) if (d !== undefined && d.kind !== 'stdio') hostCalls.close(d.hostFd);
    this.slots.length = 0;
  }
}

/** The WASI filetype of a host `fs.Stats` (or a `HostStat`: anything that answers these). */
export function filetypeOf(st: Pick<fs.Stats, 'isFile' | 'isDirectory' | 'isSymbolicLink' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>): number {
  if (st.isFile()) return Filetype.regular_file;
  if (st.isDirectory()) return Filetype.directory;
  if (st.isSymbolicLink()) return Filetype.symbolic_link;
  if (st.isCharacterDevice()) return Filetype.character_device;
  if (st.isBlockDevice()) return Filetype.block_device;
  if (st.isSocket()) return Filetype.socket_stream;
  return Filetype.unknown;
}

const C = fs.constants;
const S_IFMT = C.S_IFMT;
const S_IFREG = C.S_IFREG ?? -1;
const S_IFDIR = C.S_IFDIR;
const S_IFLNK = C.S_IFLNK ?? -1;
const S_IFCHR = C.S_IFCHR ?? -1;
const S_IFBLK = C.S_IFBLK ?? -1;
const S_IFSOCK = C.S_IFSOCK ?? -1;

/** The WASI filetype of a host file of mode `mode` (what `filetypeOf` answers for its stat). */
export function filetypeOfMode(mode: number): number {
  const t = mode & S_IFMT;
  if (t === S_IFREG) return Filetype.regular_file;
  if (t === S_IFDIR) return Filetype.directory;
  if (t === S_IFLNK) return Filetype.symbolic_link;
  if (t === S_IFCHR) return Filetype.character_device;
  if (t === S_IFBLK) return Filetype.block_device;
  if (t === S_IFSOCK) return Filetype.socket_stream;
  return Filetype.unknown;
}
