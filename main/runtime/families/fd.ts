/**
 * Descriptor I/O: `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`, `fd_seek`, `fd_tell`,
 * `fd_close`, `fd_renumber`, `fd_advise`, `fd_allocate`, `fd_sync`, `fd_datasync`.
 * Files are accessed positionally at an offset we keep, since Node has no lseek.
 */
import fs from 'node:fs';
import { ADVICE_MAX, Errno, Fdflags, Rights, Whence } from '../abi.ts';
import type { Provider, WasiContext } from '../context.ts';
import { WasiError } from '../errors.ts';
import type { FileDescriptor } from '../fd-table.ts';
import { type GuestMemory, MAX_IO_BYTES } from '../memory.ts';
import { mayChange } from '../upgrade.ts';
import { hostCalls } from '../host-calls/index.ts';

const R = Rights;
/** Largest file offset accepted (2^63 - 1 does not fit a double; files never get near 2^53). */
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;
/** The rights fd_pread and fd_pwrite need. */
const PREAD = R.fd_read | R.fd_seek;
const PWRITE = R.fd_write | R.fd_seek;

/** MAX_OFFSET as a bigint, made once (fd_pread and fd_pwrite check every offset against it). */
const MAX_OFFSET_N = BigInt(MAX_OFFSET);

function offsetOf(v: bigint): number {
  if (v < 0n || v > MAX_OFFSET_N) throw new WasiError(Errno.inval, 'offset out of range');
  return Number(v);
}

function readFile(d: FileDescriptor, bufs: Uint8Array[], at: number): number {
  return fs.readvSync(d.hostFd, bufs, at);
}

function writeFile(ctx: WasiContext, d: FileDescriptor, bufs: Uint8Array[], at: number): number {
  mayChange(ctx, d, 'write', d.hostPath);
  return fs.writevSync(d.hostFd, bufs, at);
}

/**
 * Checks the one iovec at `iovs` as `iovecs` checks it (the whole buffer) and the count's place
 * at `out`; returns the buffer's length cut to MAX_IO_BYTES (its pointer is the iovec's first
 * word). Nothing is allocated: one call per chunk of a bulk transfer.
 */
function oneIovec(mem: GuestMemory, iovs: number, out: number): number {
  mem.check(iovs, 8);
  const u8 = mem.u8;
  const at = iovs >>> 0;
  const ptr = u32(u8, at);
  const whole = u32(u8, at + 4);
  const len = whole < MAX_IO_BYTES ? whole : MAX_IO_BYTES;
  mem.check(ptr, len);
  mem.check(out, 4);
  return len;
}

/**
 * The little-endian u32 at `at` (checked) of `u8`, from its bytes: typed-array loads, which V8's
 * first optimising tier compiles inline where it calls a builtin for each DataView access.
 */
function u32(u8: Uint8Array, at: number): number {
  return (u8[at]! | (u8[at + 1]! << 8) | (u8[at + 2]! << 16) | (u8[at + 3]! << 24)) >>> 0;
}

/** Stores `v` as a little-endian u32 at `at` (checked) of `u8`. */
function setU32(u8: Uint8Array, at: number, v: number): void {
  u8[at] = v;
  u8[at + 1] = v >>> 8;
  u8[at + 2] = v >>> 16;
  u8[at + 3] = v >>> 24;
}

// The one-buffer paths below are kept small and separate: each runs once per chunk of a bulk
// transfer, and V8 optimises every function on that path in the background (again for each caller
// it is inlined into), which a run of a few thousand calls pays for in CPU (issue 14.3).

/** A file read into one buffer (read(fd, buf, n)): straight into guest memory, no view made. */
function readOne(mem: GuestMemory, d: FileDescriptor, iovs: number, nread: number): 0 {
  const len = oneIovec(mem, iovs, nread);
  const readAt = hostCalls.readAt;
  const u8 = mem.u8;
  const ptr = u32(u8, iovs >>> 0);
  const n = len === 0 ? 0 : readAt !== undefined ? readAt(d.hostFd, u8, ptr, len, d.position) : fs.readSync(d.hostFd, u8, ptr, len, d.position);
  d.position += n;
  setU32(u8, nread >>> 0, n);
  return 0;
}

/** A file write from one buffer (write(fd, buf, n)): straight from guest memory, no view made. */
function writeOne(ctx: WasiContext, d: FileDescriptor, iovs: number, nwritten: number): 0 {
  const mem = ctx.mem;
  const len = oneIovec(mem, iovs, nwritten);
  if (d.fdflags & Fdflags.append) d.position = fs.fstatSync(d.hostFd).size;
  if (d.readOnly) mayChange(ctx, d, 'write', d.hostPath);
  const writeAt = hostCalls.writeAt;
  const u8 = mem.u8;
  const ptr = u32(u8, iovs >>> 0);
  const n = len === 0 ? 0 : writeAt !== undefined ? writeAt(d.hostFd, u8, ptr, len, d.position) : fs.writeSync(d.hostFd, u8, ptr, len, d.position);
  d.position += n;
  setU32(u8, nwritten >>> 0, n);
  return 0;
}

/**
 * A file read at `offset` into one buffer (pread(fd, buf, n, at)): straight into guest memory, no
 * view made; the checks of fd_pread's general path in its order (the iovec and the count's place
 * fault before the offset is `inval`).
 */
function preadOne(mem: GuestMemory, d: FileDescriptor, iovs: number, offset: bigint, nread: number): 0 {
  const len = oneIovec(mem, iovs, nread);
  const at = offsetOf(offset);
  const readAt = hostCalls.readAt;
  const u8 = mem.u8;
  const ptr = u32(u8, iovs >>> 0);
  const n = len === 0 ? 0 : readAt !== undefined ? readAt(d.hostFd, u8, ptr, len, at) : fs.readSync(d.hostFd, u8, ptr, len, at);
  setU32(u8, nread >>> 0, n);
  return 0;
}

/**
 * A file write at `offset` from one buffer (pwrite(fd, buf, n, at)): straight from guest memory,
 * no view made; fd_pwrite's general path's checks in its order, then a read-only grant's upgrade
 * asked (as writeFile asks it, even for no bytes).
 */
function pwriteOne(ctx: WasiContext, d: FileDescriptor, iovs: number, offset: bigint, nwritten: number): 0 {
  const mem = ctx.mem;
  const len = oneIovec(mem, iovs, nwritten);
  const at = offsetOf(offset);
  if (d.readOnly) mayChange(ctx, d, 'write', d.hostPath);
  const writeAt = hostCalls.writeAt;
  const u8 = mem.u8;
  const ptr = u32(u8, iovs >>> 0);
  const n = len === 0 ? 0 : writeAt !== undefined ? writeAt(d.hostFd, u8, ptr, len, at) : fs.writeSync(d.hostFd, u8, ptr, len, at);
  setU32(u8, nwritten >>> 0, n);
  return 0;
}

/**
 * One buffer from stdin (read(0, buf, n)): straight into guest memory, no view made. Undefined
 * for an empty buffer (the general path answers it without reading).
 */
function readStdinOne(ctx: WasiContext, iovs: number, nread: number): 0 | undefined {
  const mem = ctx.mem;
  const len = oneIovec(mem, iovs, nread);
  if (len === 0) return undefined;
  const u8 = mem.u8;
  const n = ctx.stdio.readInto(u8, u32(u8, iovs >>> 0), len);
  setU32(u8, nread >>> 0, n);
  return 0;
}

function total(bufs: Uint8Array[]): number {
  let n = 0;
  for (const b of bufs) n += b.length;
  return n;
}

/** The descriptor I/O family. */
export function fdIo(ctx: WasiContext) {
  const { fds } = ctx;
  return {
    /** Reads into the iovecs from the current offset, advancing it; writes the byte count. */
    fd_read: (fd: number, iovs: number, iovsLen: number, nread: number) => {
      const d0 = fds.get(fd, 0);
      // One buffer from a file holding the right (read(fd, buf, n)): one descriptor look-up.
      if (d0.kind === 'file' && iovsLen === 1 && (d0.rightsBase & R.fd_read) !== 0) return readOne(ctx.mem, d0, iovs, nread);
      if (d0.kind === 'stdio') {
        if (d0.stream !== 0) throw new WasiError(Errno.badf, 'not readable');
        if (iovsLen === 1 && (d0.rightsBase & R.fd_read) !== 0 && readStdinOne(ctx, iovs, nread) === 0) return 0;
      }
      const d = fds.bytes(fd, R.fd_read, false);
      const bufs = ctx.mem.iovecs(iovs, iovsLen);
      ctx.mem.check(nread, 4);
      let n: number;
      if (bufs.length === 0) {
        n = 0;
      } else if (d.kind === 'stdio') {
        n = ctx.stdio.read(bufs);
      } else {
        n = readFile(d, bufs, d.position);
        d.position += n;
      }
      ctx.mem.setU32(nread, n);
      return 0;
    },
    /** Writes the ciovecs at the current offset (or the end, with `append`); writes the count. */
    fd_write: (fd: number, iovs: number, iovsLen: number, nwritten: number) => {
      const d0 = fds.get(fd, 0);
      // One buffer to a file holding the right (write(fd, buf, n)): one descriptor look-up.
      if (d0.kind === 'file' && iovsLen === 1 && (d0.rightsBase & R.fd_write) !== 0) return writeOne(ctx, d0, iovs, nwritten);
      if (d0.kind === 'stdio' && d0.stream === 0) throw new WasiError(Errno.badf, 'stdin is not writable');
      const d = fds.bytes(fd, R.fd_write, false);
      if (d.kind === 'stdio' && iovsLen === 1) {
        // The common case of printf and friends: one buffer to the terminal, copied straight
        // from guest memory into the output ring.
        const mem = ctx.mem;
        const ptr = mem.u32At(iovs);
        const len = mem.u32At(iovs + 4);
        mem.check(ptr, len);
        mem.check(nwritten, 4);
        if (!ctx.stdio.writeFrom(d.stream, mem.u8, ptr, len)) throw new WasiError(Errno.pipe, 'output closed');
        mem.setU32(nwritten, len);
        return 0;
      }
      const bufs = ctx.mem.iovecs(iovs, iovsLen);
      ctx.mem.check(nwritten, 4);
      let n: number;
      if (d.kind === 'stdio') {
        if (!ctx.stdio.write(d.stream, bufs)) throw new WasiError(Errno.pipe, 'output closed');
        n = total(bufs);
      } else if (bufs.length === 0) {
        n = 0;
      } else {
        if (d.fdflags & Fdflags.append) d.position = fs.fstatSync(d.hostFd).size;
        n = writeFile(ctx, d, bufs, d.position);
        d.position += n;
      }
      ctx.mem.setU32(nwritten, n);
      return 0;
    },
    /** Reads at `offset` without moving the descriptor's offset. */
    fd_pread: (fd: number, iovs: number, iovsLen: number, offset: bigint, nread: number) => {
      const d0 = fds.get(fd, 0);
      // One buffer from a file holding the rights (pread(fd, buf, n, at)): one descriptor look-up.
      if (d0.kind === 'file' && iovsLen === 1 && (d0.rightsBase & PREAD) === PREAD) return preadOne(ctx.mem, d0, iovs, offset, nread);
      const d = fds.bytes(fd, R.fd_read | R.fd_seek, true);
      const bufs = ctx.mem.iovecs(iovs, iovsLen);
      ctx.mem.check(nread, 4);
      const at = offsetOf(offset);
      ctx.mem.setU32(nread, bufs.length === 0 ? 0 : readFile(d, bufs, at));
      return 0;
    },
    /** Writes at `offset` without moving the descriptor's offset. */
    fd_pwrite: (fd: number, iovs: number, iovsLen: number, offset: bigint, nwritten: number) => {
      const d0 = fds.get(fd, 0);
      // One buffer to a file holding the rights (pwrite(fd, buf, n, at)): one descriptor look-up.
      if (d0.kind === 'file' && iovsLen === 1 && (d0.rightsBase & PWRITE) === PWRITE) return pwriteOne(ctx, d0, iovs, offset, nwritten);
      const d = fds.bytes(fd, R.fd_write | R.fd_seek, true);
      const bufs = ctx.mem.iovecs(iovs, iovsLen);
      ctx.mem.check(nwritten, 4);
      const at = offsetOf(offset);
      ctx.mem.setU32(nwritten, bufs.length === 0 ? 0 : writeFile(ctx, d, bufs, at));
      return 0;
    },
    /** Moves the offset; `inval` if it would become negative. Writes the new offset. */
    fd_seek: (fd: number, offset: bigint, whence: number, newOffset: number) => {
      const needed = offset === 0n && whence === Whence.cur ? R.fd_tell : R.fd_seek;
      const d = fds.bytes(fd, needed, true);
      ctx.mem.check(newOffset, 8);
      let base: number;
      if (whence === Whence.set) base = 0;
      else if (whence === Whence.cur) base = d.position;
      else if (whence === Whence.end) base = fs.fstatSync(d.hostFd).size;
      else throw new WasiError(Errno.inval, 'bad whence');
      const next = BigInt(base) + offset;
      if (next < 0n || next > MAX_OFFSET_N) throw new WasiError(Errno.inval, 'offset out of range');
      d.position = Number(next);
      ctx.mem.setU64(newOffset, next);
      return 0;
    },
    /** Writes the current offset. */
    fd_tell: (fd: number, out: number) => {
      const d = fds.bytes(fd, R.fd_tell, true);
      ctx.mem.setU64(out, d.position);
      return 0;
    },
    /** Closes the descriptor. */
    fd_close: (fd: number) => {
      fds.close(fd);
      return 0;
    },
    /** Moves descriptor `from` to number `to`, closing what `to` held; both must be open. */
    fd_renumber: (from: number, to: number) => {
      fds.renumber(from, to);
      return 0;
    },
    /** Accepts an access-pattern hint (validated, then ignored). */
    fd_advise: (fd: number, offset: bigint, len: bigint, advice: number) => {
      const d = fds.get(fd, R.fd_advise);
      if (advice > ADVICE_MAX || offset < 0n || len < 0n) throw new WasiError(Errno.inval, 'bad advice');
      if (d.kind === 'dir') throw new WasiError(Errno.badf, 'is a directory');
      return 0;
    },
    /** Ensures the file is at least `offset + len` bytes long (never shrinks it). */
    fd_allocate: (fd: number, offset: bigint, len: bigint) => {
      const d = fds.bytes(fd, R.fd_allocate, true);
      mayChange(ctx, d, 'write', d.hostPath);
      if (len <= 0n || offset < 0n) throw new WasiError(Errno.inval, 'bad range');
      const end = offsetOf(offset + len);
      if (fs.fstatSync(d.hostFd).size < end) fs.ftruncateSync(d.hostFd, end);
      return 0;
    },
    /** Flushes the file's data and metadata to storage. */
    fd_sync: (fd: number) => {
      const d = fds.get(fd, R.fd_sync);
      if (d.kind !== 'stdio') fs.fsyncSync(d.hostFd);
      return 0;
    },
    /** Flushes the file's data to storage. */
    fd_datasync: (fd: number) => {
      const d = fds.get(fd, R.fd_datasync);
      if (d.kind !== 'stdio') fs.fdatasyncSync(d.hostFd);
      return 0;
    },
  } satisfies Provider;
}
