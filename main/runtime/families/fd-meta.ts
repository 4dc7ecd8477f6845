/**
 * Descriptor metadata: `fd_fdstat_get`, `fd_fdstat_set_flags`, `fd_fdstat_set_rights`,
 * `fd_filestat_get`, `fd_filestat_set_size`, `fd_filestat_set_times`, `fd_prestat_get`,
 * `fd_prestat_dir_name`, `fd_readdir`.
 */
import fs from 'node:fs';
import { Errno, FDFLAGS_ALL, Fdflags, Layout, Preopentype, Rights } from '../abi.ts';
import type { Provider, WasiContext } from '../context.ts';
import { WasiError } from '../errors.ts';
import { type DirectoryDescriptor, dirRef, holds } from '../fd-table.ts';
import { type DirListing, filetypeOfKind, releaseListing, takeListing } from '../dir-listing.ts';
import { writeFilestat, writeStreamFilestat } from '../filestat.ts';
import { encodeUtf8 } from '../memory.ts';
import { listPath, verifyListed } from '../path-resolve.ts';
import { timeSpecs } from '../times.ts';
import { type EntryKind, type HostStat, hostCalls } from '../host-calls/index.ts';
import type { DirRef } from '../path-resolve.ts';
import { gate } from '../ask.ts';
import { mayChange } from '../upgrade.ts';

const R = Rights;
const FS = Layout.fdstat;
const SETTABLE_FLAGS = Fdflags.append | Fdflags.nonblock;

function rightsOf(v: bigint): number {
  if (v < 0n || v >= 1n << 64n) throw new WasiError(Errno.inval, 'bad rights');
  if (v >> 30n !== 0n) throw new WasiError(Errno.notcapable, 'unknown rights requested');
  return Number(v);
}

/** Lists a directory descriptor into `out`, "." and ".." first, with inode numbers. */
function list(d: DirectoryDescriptor, out: DirListing): void {
  const dir = dirRef(d);
  const self = hostCalls.fstat(d.hostFd);
  // At a preopen's root, ".." would describe a folder outside the grant: report the root itself.
  const parent = d.preopen !== undefined ? self : hostCalls.stat(dir, '..', true);
  addEntry(out, '.', 'directory', self.ino);
  addEntry(out, '..', 'directory', parent.ino);
  if (hostCalls.listDir !== undefined) {
    hostCalls.listDir(dir, out);
    statUnknown(out, dir);
    return;
  }
  const entries = fs.readdirSync(listPath(dir), { withFileTypes: true });
  for (const e of entries) {
    let st: HostStat;
    try {
      st = hostCalls.stat(dir, e.name, false);
    } catch {
      continue; // removed since the listing was read
    }
    addEntry(out, e.name, kindOf(st), st.ino);
  }
  verifyListed(dir);
}

/** The listing's kind of what `st` describes. */
function kindOf(st: HostStat): EntryKind {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isSocket()) return 'socket';
  return st.isFIFO() ? 'fifo' : 'unknown';
}

/** Appends one entry, its inode number from a stat (a BigInt) split into halves. */
function addEntry(out: DirListing, name: string, kind: EntryKind, ino: bigint): void {
  out.add(name, kind, Number(BigInt.asUintN(32, ino)), Number(BigInt.asUintN(32, ino >> 32n)));
}

/**
 * Stats, in place, the entries the host listed with an unknown kind (a file system without
 * `d_type`); one removed since the listing was read stays listed as `unknown`, as a listing read
 * just before the removal would have it.
 */
function statUnknown(out: DirListing, dir: DirRef): void {
  for (const i of out.unknown) {
    try {
      out.setType(i, filetypeOfKind(kindOf(hostCalls.stat(dir, out.name(i), false))));
    } catch {
      // removed since the listing was read
    }
  }
}

/** The descriptor metadata family. */
export function fdMeta(ctx: WasiContext) {
  const { fds } = ctx;
  return {
    /** Writes the descriptor's filetype, flags and rights. */
    fd_fdstat_get: (fd: number, out: number) => {
      const d = fds.get(fd, 0);
      ctx.mem.check(out, FS.size);
      ctx.mem.zero(out, FS.size);
      ctx.mem.setU8(out + FS.fs_filetype, d.filetype);
      ctx.mem.setU16(out + FS.fs_flags, d.fdflags);
      // Rights are below 2^30 (rightsOf): their low words, over the zeroed high ones, with no BigInt.
      ctx.mem.setU32(out + FS.fs_rights_base, d.rightsBase);
      ctx.mem.setU32(out + FS.fs_rights_inheriting, d.rightsInheriting);
      return 0;
    },
    /** Sets `append` and `nonblock`; the synchronous-I/O flags cannot be changed (`notsup`). */
    fd_fdstat_set_flags: (fd: number, flags: number) => {
      const d = fds.get(fd, R.fd_fdstat_set_flags);
      if (flags & ~SETTABLE_FLAGS) throw new WasiError(flags & ~FDFLAGS_ALL ? Errno.inval : Errno.notsup, 'unsupported fdflags');
      d.fdflags = (d.fdflags & ~SETTABLE_FLAGS) | flags;
      return 0;
    },
    /** Drops rights; asking for a right the descriptor lacks is `notcapable`. */
    fd_fdstat_set_rights: (fd: number, base: bigint, inheriting: bigint) => {
      const d = fds.get(fd, 0);
      const b = rightsOf(base);
      const i = rightsOf(inheriting);
      if ((b & ~d.rightsBase) !== 0 || (i & ~d.rightsInheriting) !== 0) {
        throw new WasiError(Errno.notcapable, 'rights can only be dropped');
      }
      d.rightsBase = b;
      d.rightsInheriting = i;
      return 0;
    },
    /** Writes the open file's attributes. */
    fd_filestat_get: (fd: number, out: number) => {
      const d = fds.get(fd, R.fd_filestat_get);
      if (d.kind === 'stdio') writeStreamFilestat(ctx.mem, out, d.filetype);
      else writeFilestat(ctx.mem, out, hostCalls.fstat(d.hostFd));
      return 0;
    },
    /** Truncates or extends the open file to `size` bytes. */
    fd_filestat_set_size: (fd: number, size: bigint) => {
      const d = fds.bytes(fd, R.fd_filestat_set_size, true);
      mayChange(ctx, d, 'truncate', d.hostPath);
      if (size < 0n || size > BigInt(Number.MAX_SAFE_INTEGER)) throw new WasiError(Errno.fbig, 'size too large');
      fs.ftruncateSync(d.hostFd, Number(size));
      return 0;
    },
    /** Sets the open file's access and/or modification times. */
    fd_filestat_set_times: (fd: number, atim: bigint, mtim: bigint, fstflags: number) => {
      const d = fds.get(fd, R.fd_filestat_set_times);
      if (d.kind === 'stdio') throw new WasiError(Errno.badf, 'not a file');
      mayChange(ctx, d, 'set-times', d.hostPath);
      hostCalls.fsetTimes(d.hostFd, ...timeSpecs(atim, mtim, fstflags));
      return 0;
    },
    /** Describes a preopened directory: its tag and the length of its guest name. */
    fd_prestat_get: (fd: number, out: number) => {
      const d = fds.get(fd, 0);
      if (d.kind !== 'dir' || d.preopen === undefined) throw new WasiError(Errno.badf, 'not a preopened directory');
      ctx.mem.check(out, Layout.prestat.size);
      ctx.mem.setU32(out, 0);
      ctx.mem.setU8(out + Layout.prestat.tag, Preopentype.dir);
      ctx.mem.setU32(out + Layout.prestat.pr_name_len, encodeUtf8(d.preopen).length);
      return 0;
    },
    /** Copies a preopened directory's guest name (not NUL-terminated) into `path`. */
    fd_prestat_dir_name: (fd: number, path: number, len: number) => {
      const d = fds.get(fd, 0);
      if (d.kind !== 'dir' || d.preopen === undefined) throw new WasiError(Errno.badf, 'not a preopened directory');
      const name = encodeUtf8(d.preopen);
      if (len < name.length) throw new WasiError(Errno.nametoolong, 'buffer too small');
      ctx.mem.write(path, name);
      return 0;
    },
    /**
     * Fills `buf` with dirents starting at `cookie` (0 = the start, which re-reads the directory);
     * the last one may be cut short when the buffer is full, as the spec allows. The cookie is a
     * u64 (the import hands it over as a signed i64): any value past the end yields nothing.
     */
    fd_readdir: (fd: number, buf: number, bufLen: number, signedCookie: bigint, bufused: number) => {
      const cookie = BigInt.asUintN(64, signedCookie);
      const d = fds.get(fd, 0);
      if (d.kind !== 'dir') throw new WasiError(Errno.badf, 'not a directory');
      holds(d, fd, R.fd_readdir, 0);
      ctx.mem.check(buf, bufLen);
      ctx.mem.check(bufused, 4);
      if (cookie === 0n || d.listing === undefined) {
        // The ask root itself is listed only if the person allows it (its sub-folders were asked at open).
        gate(ctx.asker, d.ask && d.preopen !== undefined, d.hostPath, '.', 'list');
        const out = takeListing();
        try {
          list(d, out);
        } catch (err) {
          releaseListing(out);
          throw err;
        }
        if (d.listing !== undefined) releaseListing(d.listing);
        d.listing = out;
      }
      const L = d.listing;
      // The entries from the cookie on, already preview1 dirents back to back: the buffer's worth
      // of them, the last one cut short when it does not fit (as the spec allows).
      const from = L.starts[cookie > BigInt(L.count) ? L.count : Number(cookie)]!;
      const used = Math.min(L.end - from, bufLen >>> 0);
      if (used > 0) ctx.mem.u8.set(L.bytes.subarray(from, from + used), buf >>> 0);
      ctx.mem.setU32(bufused, used);
      return 0;
    },
  } satisfies Provider;
}
