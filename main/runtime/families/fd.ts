/**
 * Descriptor I/O: `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`, `fd_seek`, `fd_tell`,
 * `fd_close`, `fd_renumber`, `fd_advise`, `fd_allocate`, `fd_sync`, `fd_datasync`.
 * Files are accessed positionally at an offset we keep, since Node has no lseek.
 */
import fs from 'node:fs';
import { ADVICE_MAX, Errno, Fdflags, Rights, Whence } from '../abi.ts';
import type { Provider, WasiContext } from '../context.ts';
import { WasiError } from '../errors.ts';
import type { Descriptor, FileDescriptor } from '../fd-table.ts';
import { type GuestMemory, HOST_LE, MAX_IO_BYTES } from '../memory.ts';
import { mayChange } from '../upgrade.ts';
import { hostCalls } from '../host-calls/index.ts';

const R = Rights;
/** Largest file offset accepted (2^63 - 1 does not fit a double; files never get near 2^53). */
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;
/** The rights fd_pread and fd_pwrite need. */
const PREAD = R.fd_read | R.fd_seek;
const PWRITE = R.fd_write | R.fd_seek;
const FD_READ = R.fd_read;
const FD_WRITE = R.fd_write;
/** A cap no u32 length reaches (`oneIovec` then checks and returns the whole buffer). */
const WHOLE = 2 ** 32;

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

/** Where the last `oneIovec` found the buffer (the iovec's first word), so it is read once. */
let iovBuf = 0;

/**
 * Checks the one iovec at `iovs` and the count's place at `out` (each out-of-range one faults, as
 * `mem.check` says); returns the buffer's length cut to `cap` (checked as cut) and leaves its
 * pointer in `iovBuf`. Nothing is allocated and, in range, nothing is called: it runs once per chunk
 * of a bulk transfer, the first few hundred times before V8 has optimised it, where every call,
 * property load (a typed array's `length` is a getter) and operator costs tens of instructions
 * (issue 14.3). Out of range, or with a stale view (a grown memory's old buffer has length 0), it
 * calls `mem.check`, which refreshes the views first.
 */
function oneIovec(mem: GuestMemory, iovs: number, out: number, cap: number): number {
  const at = iovs >>> 0;
  let u8 = mem.u8;
  let size = u8.length;
  if (at + 8 > size) {
    mem.check(iovs, 8);
    u8 = mem.u8;
    size = u8.length;
  }
  let ptr: number;
  let whole: number;
  if ((at & 3) === 0 && HOST_LE) {
    const w = mem.words ?? mem.makeWords();
    ptr = w[at >>> 2]!;
    whole = w[(at >>> 2) + 1]!;
  } else {
    ptr = u32(u8, at);
    whole = u32(u8, at + 4);
  }
  const len = whole < cap ? whole : cap;
  const end = ptr + len;
  if (end > size || end === 0) {
    mem.check(ptr, len);
    size = mem.u8.length;
  }
  if ((out >>> 0) + 4 > size) mem.check(out, 4);
  iovBuf = ptr;
  return len;
}

/**
 * The little-endian u32 at `at` (checked) of `u8`, from its bytes: typed-array loads, which V8's
 * first optimising tier compiles inline where it calls a builtin for each DataView access.
 */
function u32(u8: Uint8Array, at: number): number {
  return (u8[at]! | (u8[at + 1]! << 8) | (u8[at + 2]! << 16) | (u8[at + 3]! << 24)) >>> 0;
}

/**
 * Stores `v` as a little-endian u32 at `at` (checked, since the views were last refreshed) of guest
 * memory: one word store when aligned.
 */
function putU32(mem: GuestMemory, at: number, v: number): void {
  const o = at >>> 0;
  if ((o & 3) !== 0 || !HOST_LE) {
    const u8 = mem.u8;
    u8[o] = v;
    u8[o + 1] = v >>> 8;
    u8[o + 2] = v >>> 16;
    u8[o + 3] = v >>> 24;
    return;
  }
  (mem.words ?? mem.makeWords())[o >>> 2] = v;
}

// The one-buffer paths below are kept small and separate: each runs once per chunk of a bulk
// transfer, and V8 optimises every function on that path in the background (again for each caller
// it is inlined into), which a run of a few thousand calls pays for in CPU (issue 14.3).

/** A file read into one buffer (read(fd, buf, n)): straight into guest memory, no view made. */
function readOne(mem: GuestMemory, d: FileDescriptor, iovs: number, nread: number): 0 {
  const len = oneIovec(mem, iovs, nread, MAX_IO_BYTES);
  const ptr = iovBuf;
  const readAt = hostCalls.readAt;
  const u8 = mem.u8;
  const n = len === 0 ? 0 : readAt !== undefined ? readAt(d.hostFd, u8, ptr, len, d.position) : fs.readSync(d.hostFd, u8, ptr, len, d.position);
  d.position += n;
  putU32(mem, nread, n);
  return 0;
}

/** A file write from one buffer (write(fd, buf, n)): straight from guest memory, no view made. */
function writeOne(ctx: WasiContext, d: FileDescriptor, iovs: number, nwritten: number): 0 {
  const mem = ctx.mem;
  const len = oneIovec(mem, iovs, nwritten, MAX_IO_BYTES);
  const ptr = iovBuf;
  if (d.fdflags & Fdflags.append) d.position = fs.fstatSync(d.hostFd).size;
  if (d.readOnly) mayChange(ctx, d, 'write', d.hostPath);
  const writeAt = hostCalls.writeAt;
  const u8 = mem.u8;
  const n = len === 0 ? 0 : writeAt !== undefined ? writeAt(d.hostFd, u8, ptr, len, d.position) : fs.writeSync(d.hostFd, u8, ptr, len, d.position);
  d.position += n;
  putU32(mem, nwritten, n);
  return 0;
}

/**
 * A file read at `offset` into one buffer (pread(fd, buf, n, at)): straight into guest memory, no
 * view made; the checks of fd_pread's general path in its order (the iovec and the count's place
 * fault before the offset is `inval`).
 */
function preadOne(mem: GuestMemory, d: FileDescriptor, iovs: number, offset: bigint, nread: number): 0 {
  const len = oneIovec(mem, iovs, nread, MAX_IO_BYTES);
  const ptr = iovBuf;
  const at = offsetOf(offset);
  const readAt = hostCalls.readAt;
  const u8 = mem.u8;
  const n = len === 0 ? 0 : readAt !== undefined ? readAt(d.hostFd, u8, ptr, len, at) : fs.readSync(d.hostFd, u8, ptr, len, at);
  putU32(mem, nread, n);
  return 0;
}

/**
 * A file write at `offset` from one buffer (pwrite(fd, buf, n, at)): straight from guest memory,
 * no view made; fd_pwrite's general path's checks in its order, then a read-only grant's upgrade
 * asked (as writeFile asks it, even for no bytes).
 */
function pwriteOne(ctx: WasiContext, d: FileDescriptor, iovs: number, offset: bigint, nwritten: number): 0 {
  const mem = ctx.mem;
  const len = oneIovec(mem, iovs, nwritten, MAX_IO_BYTES);
  const ptr = iovBuf;
  const at = offsetOf(offset);
  if (d.readOnly) mayChange(ctx, d, 'write', d.hostPath);
  const writeAt = hostCalls.writeAt;
  const u8 = mem.u8;
  const n = len === 0 ? 0 : writeAt !== undefined ? writeAt(d.hostFd, u8, ptr, len, at) : fs.writeSync(d.hostFd, u8, ptr, len, at);
  putU32(mem, nwritten, n);
  return 0;
}

/**
 * One buffer from stdin (read(0, buf, n)): straight into guest memory, no view made. Undefined
 * for an empty buffer (the general path answers it without reading).
 */
function readStdinOne(ctx: WasiContext, iovs: number, nread: number): 0 | undefined {
  const mem = ctx.mem;
  const len = oneIovec(mem, iovs, nread, MAX_IO_BYTES);
  if (len === 0) return undefined;
  const n = ctx.stdio.readInto(mem.u8, iovBuf, len);
  putU32(mem, nread, n);
  return 0;
}

/** One buffer to stdout or stderr (write(1, buf, n)): straight from guest memory, no view made. */
function writeStdioOne(ctx: WasiContext, stream: number, iovs: number, nwritten: number): 0 {
  const mem = ctx.mem;
  const len = oneIovec(mem, iovs, nwritten, WHOLE);
  if (!ctx.stdio.writeFrom(stream, mem.u8, iovBuf, len)) throw new WasiError(Errno.pipe, 'output closed');
  putU32(mem, nwritten, len);
  return 0;
}

// fd_read and fd_write are small on purpose: V8 optimises a function once it has run about 400 times
// its bytecode's length (each call counts up to the return it takes), so a hot return followed by
// a long cold path would keep it in the unoptimised tiers for thousands of calls (issue 14.3).

/** fd_read's general path: several iovecs, an empty buffer, another stream; errors in this order. */
function readAny(ctx: WasiContext, d0: Descriptor, fd: number, iovs: number, iovsLen: number, nread: number): 0 {
  if (d0.kind === 'stdio' && d0.stream !== 0) throw new WasiError(Errno.badf, 'not readable');
  const d = ctx.fds.bytes(fd, R.fd_read, false);
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
}

/** fd_write's general path: several iovecs, stdin, a missing right; errors in this order. */
function writeAny(ctx: WasiContext, d0: Descriptor, fd: number, iovs: number, iovsLen: number, nwritten: number): 0 {
  if (d0.kind === 'stdio' && d0.stream === 0) throw new WasiError(Errno.badf, 'stdin is not writable');
  const d = ctx.fds.bytes(fd, R.fd_write, false);
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
      const d0 = fds.io(fd);
      const kind = d0.kind;
      // One buffer from a file holding the right (read(fd, buf, n)): one descriptor look-up.
      if (kind === 'file' && iovsLen === 1 && (d0.rightsBase & FD_READ) !== 0) return readOne(ctx.mem, d0, iovs, nread);
      if (kind === 'stdio' && d0.stream === 0 && iovsLen === 1 && (d0.rightsBase & FD_READ) !== 0 && readStdinOne(ctx, iovs, nread) === 0) return 0;
      return readAny(ctx, d0, fd, iovs, iovsLen, nread);
    },
    /** Writes the ciovecs at the current offset (or the end, with `append`); writes the count. */
    fd_write: (fd: number, iovs: number, iovsLen: number, nwritten: number) => {
      const d0 = fds.io(fd);
      const kind = d0.kind;
      // One buffer to a file holding the right (write(fd, buf, n)): one descriptor look-up.
      if (kind === 'file' && iovsLen === 1 && (d0.rightsBase & FD_WRITE) !== 0) return writeOne(ctx, d0, iovs, nwritten);
      // The common case of printf and friends: one buffer to stdout or stderr, copied straight
      // from guest memory (the whole buffer: the output side cuts it in records).
      if (kind === 'stdio' && d0.stream !== 0 && iovsLen === 1 && (d0.rightsBase & FD_WRITE) !== 0) return writeStdioOne(ctx, d0.stream, iovs, nwritten);
      return writeAny(ctx, d0, fd, iovs, iovsLen, nwritten);
    },
    /** Reads at `offset` without moving the descriptor's offset. */
    fd_pread: (fd: number, iovs: number, iovsLen: number, offset: bigint, nread: number) => {
      const d0 = fds.io(fd);
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
      const d0 = fds.io(fd);
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
