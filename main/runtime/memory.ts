import { Errno, Layout } from './abi.ts';
import { WasiError } from './errors.ts';

/** Most iovecs one call may pass (POSIX IOV_MAX). */
export const MAX_IOVS = 1024;
/**
 * Most bytes one read or write moves (Linux's MAX_RW_COUNT): the count a call reports must fit
 * its u32 result, so longer iovec lists are cut here and the call reports a true, shorter count,
 * as POSIX lets a transfer stop short (at SSIZE_MAX there).
 */
export const MAX_IO_BYTES = 0x7ffff000;
/** Longest path, in bytes, a guest may pass. */
export const MAX_PATH_BYTES = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** True on a little-endian host, where a Uint32Array's words are wasm's little-endian u32s. */
export const HOST_LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const utf8Encoder = new TextEncoder();

/**
 * Node's Buffer with its (undocumented, long-standing) `latin1Slice`, what `toString('latin1')`
 * calls after its argument checks: a string of bytes [start, end) with no view made.
 */
type Chars = Buffer & { latin1Slice(start: number, end: number): string };

/** A Buffer over all of `memory`'s bytes. */
const charsOf = (memory: WebAssembly.Memory): Chars => Buffer.from(memory.buffer) as Chars;

/**
 * Bounds-checked access to a guest's linear memory. Every pointer and length the guest passes goes
 * through here: out-of-range access throws `WasiError(fault)`, never a host exception.
 * Views are refreshed when the memory grows (growth detaches the old buffer).
 */
export class GuestMemory {
  readonly memory: WebAssembly.Memory;
  u8: Uint8Array;
  view: DataView;
  /** A Buffer over the same bytes, for `latin1Slice` (an ASCII path made a string with no view). */
  private chars: Chars;
  /**
   * The same bytes as u32 words (word i = bytes 4i..4i+3, host order: for HOST_LE only), made by
   * `makeWords` and dropped with the other views when they are refreshed: one typed-array load
   * for an aligned u32 (families/fd.ts's per-chunk paths).
   */
  words: Uint32Array | undefined = undefined;

  constructor(memory: WebAssembly.Memory) {
    this.memory = memory;
    this.u8 = new Uint8Array(memory.buffer);
    this.view = new DataView(memory.buffer);
    this.chars = charsOf(memory);
  }

  /** Throws `fault` unless [ptr, ptr+len) lies inside memory; refreshes stale views first. */
  check(ptr: number, len: number): void {
    // Guest i32 lengths arrive signed; sizes we computed (count × struct size) may exceed 2^32.
    const end = (ptr >>> 0) + (len < 0 ? len >>> 0 : len);
    // A grown memory detaches the old buffer (length 0), so only end === 0 could pass stale.
    if (end <= this.u8.length && end !== 0) return;
    this.refresh();
    if (end > this.u8.length) throw new WasiError(Errno.fault, 'pointer out of bounds');
  }

  /** True when [ptr, ptr+len) lies inside memory (`check` without the throw). */
  fits(ptr: number, len: number): boolean {
    const end = (ptr >>> 0) + (len < 0 ? len >>> 0 : len);
    if (end <= this.u8.length && end !== 0) return true;
    this.refresh();
    return end <= this.u8.length;
  }

  private refresh(): void {
    if (this.u8.buffer !== this.memory.buffer || this.u8.length !== this.memory.buffer.byteLength) {
      this.u8 = new Uint8Array(this.memory.buffer);
      this.view = new DataView(this.memory.buffer);
      this.chars = charsOf(this.memory);
      this.words = undefined;
    }
  }

  /** Sets and returns `words` over `u8`'s buffer. No check: a caller checks with `u8`'s length first. */
  makeWords(): Uint32Array {
    return (this.words = new Uint32Array(this.u8.buffer, 0, this.u8.length >>> 2));
  }

  u8At(ptr: number): number { this.check(ptr, 1); return this.u8[ptr >>> 0]!; }
  u16At(ptr: number): number { this.check(ptr, 2); return this.view.getUint16(ptr >>> 0, true); }
  u32At(ptr: number): number { this.check(ptr, 4); return this.view.getUint32(ptr >>> 0, true); }
  u64At(ptr: number): bigint { this.check(ptr, 8); return this.view.getBigUint64(ptr >>> 0, true); }

  setU8(ptr: number, v: number): void { this.check(ptr, 1); this.u8[ptr >>> 0] = v; }
  setU16(ptr: number, v: number): void { this.check(ptr, 2); this.view.setUint16(ptr >>> 0, v, true); }
  setU32(ptr: number, v: number): void { this.check(ptr, 4); this.view.setUint32(ptr >>> 0, v >>> 0, true); }
  /** Writes `v` modulo 2^64 (setBigUint64 wraps a negative or larger value itself). */
  setU64(ptr: number, v: bigint | number): void {
    this.check(ptr, 8);
    this.view.setBigUint64(ptr >>> 0, typeof v === 'bigint' ? v : BigInt(v), true);
  }

  /** A live view of guest bytes [ptr, ptr+len); valid until the guest runs again. */
  bytes(ptr: number, len: number): Uint8Array {
    this.check(ptr, len);
    return this.u8.subarray(ptr >>> 0, (ptr >>> 0) + (len >>> 0));
  }

  /** Zeroes guest bytes [ptr, ptr+len). */
  zero(ptr: number, len: number): void {
    this.check(ptr, len);
    this.u8.fill(0, ptr >>> 0, (ptr >>> 0) + (len >>> 0));
  }

  /** Copies `data` into guest memory at `ptr`. */
  write(ptr: number, data: Uint8Array): void {
    this.check(ptr, data.length);
    this.u8.set(data, ptr >>> 0);
  }

  /**
   * Reads a path argument: capped at MAX_PATH_BYTES (`nametoolong`), strict UTF-8 (`ilseq`),
   * no NUL byte (`inval`).
   */
  path(ptr: number, len: number): string {
    if (len >>> 0 > MAX_PATH_BYTES) throw new WasiError(Errno.nametoolong, 'path too long');
    this.check(ptr, len);
    // ASCII (the usual path) is its own Latin-1: read in place, no view and no UTF-8 decoder.
    const start = ptr >>> 0;
    const end = start + (len >>> 0);
    const u8 = this.u8;
    let at = start;
    while (at < end) {
      const c = u8[at]!;
      if (c === 0 || c > 0x7f) break;
      at++;
    }
    if (at === end) return this.chars.latin1Slice(start, end);
    return this.decodePath(start, len);
  }

  /**
   * Guest bytes [start, end) as a string of those chars (Latin-1): for bytes already checked to be
   * ASCII (then it is their UTF-8 too) and bounds-checked.
   */
  latin1(start: number, end: number): string {
    return this.chars.latin1Slice(start, end);
  }

  /** `path` for a name with a NUL or a non-ASCII byte (already bounds-checked). */
  private decodePath(ptr: number, len: number): string {
    const raw = this.bytes(ptr, len);
    if (raw.includes(0)) throw new WasiError(Errno.inval, 'NUL byte in path');
    try {
      return utf8.decode(raw);
    } catch {
      throw new WasiError(Errno.ilseq, 'path is not valid UTF-8');
    }
  }

  /**
   * Reads an iovec/ciovec array (count capped at MAX_IOVS) as live views of the guest's buffers,
   * cut after MAX_IO_BYTES in all (every buffer is still bounds-checked).
   */
  iovecs(ptr: number, count: number): Uint8Array[] {
    // An array that cannot fit in memory is a bad pointer (fault); one that fits but is longer
    // than IOV_MAX is refused like writev does (inval).
    this.check(ptr, (count >>> 0) * Layout.iovec.size);
    if (count >>> 0 > MAX_IOVS) throw new WasiError(Errno.inval, 'too many iovecs');
    const out: Uint8Array[] = [];
    let room = MAX_IO_BYTES;
    for (let i = 0; i < count; i++) {
      const base = (ptr >>> 0) + i * Layout.iovec.size;
      const buf = this.view.getUint32(base, true);
      const len = this.view.getUint32(base + 4, true);
      const view = this.bytes(buf, len);
      if (room > 0) out.push(view.length <= room ? view : view.subarray(0, room));
      room -= Math.min(room, view.length);
    }
    return out;
  }
}

/** Encodes a string as UTF-8. */
export function encodeUtf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}
