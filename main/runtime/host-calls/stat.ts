/**
 * The native stat result: the C library's stat buffer (statx on Linux, `struct stat` on macOS,
 * platform.ts) read into a `HostStat`, and checks made straight on the buffer.
 */
import fs from 'node:fs';
import type { HostStat } from './types.ts';
import { type Field, type StatLayout, makedev } from './platform.ts';

const S_IFMT = fs.constants.S_IFMT;
const S_IFDIR = fs.constants.S_IFDIR;
const kind = (v: number | undefined): number => v ?? -1;
const S_IFREG = kind(fs.constants.S_IFREG);
const S_IFLNK = kind(fs.constants.S_IFLNK);
const S_IFCHR = kind(fs.constants.S_IFCHR);
const S_IFBLK = kind(fs.constants.S_IFBLK);
const S_IFSOCK = kind(fs.constants.S_IFSOCK);
const S_IFIFO = kind(fs.constants.S_IFIFO);
const TWO32 = 4294967296;

/** A u64 from its 32-bit halves. */
function u64(lo: number, hi: number): bigint {
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

/** Nanoseconds since the epoch from a time's seconds (as two halves, the high one signed) and nanoseconds. */
function nanos(secLo: number, secHi: number, nsec: number): bigint {
  return ((BigInt(secHi) << 32n) + BigInt(secLo)) * 1_000_000_000n + BigInt(nsec);
}

/**
 * Writes `sec * 10^9 + nsec` as a little-endian u64 at `at` of `v` without a BigInt, exactly
 * (the products are cut into pieces below 2^53); a time before 1970 or past the year 287396 takes
 * the BigInt way.
 */
function putNanos(v: DataView, at: number, secLo: number, secHi: number, nsec: number): void {
  if (secHi < 0 || secHi >= 0x200000) {
    v.setBigUint64(at, nanos(secLo, secHi, nsec), true);
    return;
  }
  // sec = secHi·2^32 + b·2^16 + a; each product with 10^9 is below 2^51. `>>> 0` and `& 0xffff`
  // take an integer below 2^53 modulo 2^32 and 2^16 exactly (and without fmod).
  const a = secLo & 0xffff;
  const b = secLo >>> 16;
  const low = a * 1e9 + nsec; // < 2^47
  const mid = b * 1e9; // < 2^46, worth mid·2^16
  const midLo = mid & 0xffff;
  const sum = low + midLo * 65536; // < 2^48
  const lo = sum >>> 0;
  const hi = secHi * 1e9 + (mid - midLo) / 65536 + (sum - lo) / TWO32;
  v.setUint32(at, lo, true);
  v.setUint32(at + 4, hi >>> 0, true);
}

/**
 * A `HostStat` decoded from the C library's stat buffer. Fields are kept as the numbers read;
 * the bigints the interface promises are made only when asked (a walk's stat is written straight
 * to the guest, `writeTo`, and most other callers ask for one or two fields). Every 32-bit half
 * is kept as a signed int32 (its bits; `>>> 0` where its value is needed): an unsigned one may
 * exceed V8's small integers, and a field that ever holds such a number boxes every value stored
 * in it (one heap number each), which made a stat ~340 bytes of garbage instead of ~160.
 */
export class NativeStat implements HostStat {
  readonly dev: bigint;
  private readonly inoLo: number;
  private readonly inoHi: number;
  private readonly nlinkLo: number;
  private readonly nlinkHi: number;
  private readonly sizeLo: number;
  private readonly sizeHi: number;
  private readonly modeBits: number;
  private readonly aLo: number;
  private readonly aHi: number;
  private readonly aNs: number;
  private readonly mLo: number;
  private readonly mHi: number;
  private readonly mNs: number;
  private readonly cLo: number;
  private readonly cHi: number;
  private readonly cNs: number;
  constructor(
    dev: bigint, inoLo: number, inoHi: number, nlinkLo: number, nlinkHi: number, sizeLo: number, sizeHi: number, modeBits: number,
    aLo: number, aHi: number, aNs: number, mLo: number, mHi: number, mNs: number, cLo: number, cHi: number, cNs: number,
  ) {
    this.dev = dev;
    this.inoLo = inoLo;
    this.inoHi = inoHi;
    this.nlinkLo = nlinkLo;
    this.nlinkHi = nlinkHi;
    this.sizeLo = sizeLo;
    this.sizeHi = sizeHi;
    this.modeBits = modeBits;
    this.aLo = aLo;
    this.aHi = aHi;
    this.aNs = aNs;
    this.mLo = mLo;
    this.mHi = mHi;
    this.mNs = mNs;
    this.cLo = cLo;
    this.cHi = cHi;
    this.cNs = cNs;
  }
  get ino(): bigint { return u64(this.inoLo >>> 0, this.inoHi >>> 0); }
  get nlink(): bigint { return u64(this.nlinkLo >>> 0, this.nlinkHi >>> 0); }
  get size(): bigint { return u64(this.sizeLo >>> 0, this.sizeHi >>> 0); }
  get mode(): bigint { return BigInt(this.modeBits); }
  get atimeNs(): bigint { return nanos(this.aLo >>> 0, this.aHi, this.aNs >>> 0); }
  get mtimeNs(): bigint { return nanos(this.mLo >>> 0, this.mHi, this.mNs >>> 0); }
  get ctimeNs(): bigint { return nanos(this.cLo >>> 0, this.cHi, this.cNs >>> 0); }
  /** True when this is the directory `ino` (as its unsigned 32-bit halves) on device `dev`. */
  isDirectoryAt(dev: bigint, inoLo: number, inoHi: number): boolean {
    return (this.modeBits & S_IFMT) === S_IFDIR && this.inoLo >>> 0 === inoLo && this.inoHi >>> 0 === inoHi && this.dev === dev;
  }
  /**
   * Writes this as a WASI `filestat` (layout `F`, `filetype` already worked out) at `at` of `v`,
   * which the caller has bounds-checked.
   */
  writeTo(v: DataView, at: number, F: FilestatLayout, filetype: number): void {
    v.setBigUint64(at + F.dev, this.dev, true);
    v.setUint32(at + F.ino, this.inoLo, true);
    v.setUint32(at + F.ino + 4, this.inoHi, true);
    v.setUint32(at + F.filetype, filetype, true); // the filetype byte and the padding after it
    v.setUint32(at + F.filetype + 4, 0, true);
    v.setUint32(at + F.nlink, this.nlinkLo, true);
    v.setUint32(at + F.nlink + 4, this.nlinkHi, true);
    v.setUint32(at + F.size, this.sizeLo, true);
    v.setUint32(at + F.size + 4, this.sizeHi, true);
    putNanos(v, at + F.atim, this.aLo >>> 0, this.aHi, this.aNs >>> 0);
    putNanos(v, at + F.mtim, this.mLo >>> 0, this.mHi, this.mNs >>> 0);
    putNanos(v, at + F.ctim, this.cLo >>> 0, this.cHi, this.cNs >>> 0);
  }
  private is(t: number): boolean {
    return (this.modeBits & S_IFMT) === t;
  }
  isFile(): boolean { return this.is(S_IFREG); }
  isDirectory(): boolean { return this.is(S_IFDIR); }
  isSymbolicLink(): boolean { return this.is(S_IFLNK); }
  isCharacterDevice(): boolean { return this.is(S_IFCHR); }
  isBlockDevice(): boolean { return this.is(S_IFBLK); }
  isSocket(): boolean { return this.is(S_IFSOCK); }
  isFIFO(): boolean { return this.is(S_IFIFO); }
}

/** Where a WASI `filestat`'s fields are (abi.ts `Layout.filestat`). */
export interface FilestatLayout {
  dev: number; ino: number; filetype: number; nlink: number; size: number; atim: number; mtim: number; ctim: number;
}

// A DataView of the (reused) stat buffer: Buffer's read methods check their arguments at every
// call, which showed in a walk's profile.
let viewed: Buffer | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));
function viewOf(b: Buffer): DataView {
  if (b !== viewed) {
    viewed = b;
    view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  return view;
}

/**
 * A field of `f.bytes` bytes as its low and high 32-bit halves (the high one 0 below 8 bytes),
 * each as a signed int32 (see NativeStat); a 16-bit field as its value.
 */
function lo(v: DataView, f: Field): number {
  return f.bytes === 2 ? v.getUint16(f.at, true) : v.getInt32(f.at, true);
}
function hi(v: DataView, f: Field): number {
  return f.bytes === 8 ? v.getInt32(f.at + 4, true) : 0;
}

// Files of a run are mostly on one device: its dev_t is built once.
let lastMajor = -1;
let lastMinor = -1;
let lastDev = 0n;

function devOf(v: DataView, L: StatLayout): bigint {
  if (L.kind !== 'statx') return L.dev.bytes === 8 ? v.getBigUint64(L.dev.at, true) : BigInt(v.getUint32(L.dev.at, true));
  const major = v.getUint32(L.dev.at, true);
  const minor = v.getUint32(L.dev.at + 4, true);
  if (major !== lastMajor || minor !== lastMinor) {
    lastDev = makedev(major, minor);
    lastMajor = major;
    lastMinor = minor;
  }
  return lastDev;
}

/**
 * True when the filled stat buffer `b` of layout `L` is directory `ino` (as its 32-bit halves) on
 * device `dev`, read straight from the buffer (the resolver checks its cached directories at every step).
 */
export function isDirectoryIn(b: Buffer, L: StatLayout, dev: bigint, inoLo: number, inoHi: number): boolean {
  const v = viewOf(b);
  return (lo(v, L.mode) & S_IFMT) === S_IFDIR && lo(v, L.ino) >>> 0 === inoLo && hi(v, L.ino) >>> 0 === inoHi && devOf(v, L) === dev;
}

/** Decodes a filled stat buffer of layout `L` (little-endian) into a `HostStat`. */
export function decodeStat(b: Buffer, L: StatLayout): NativeStat {
  const v = viewOf(b);
  // Seconds are signed 64-bit; nanoseconds a u32 (statx) or a long below 10^9 (stat64: its low half).
  const n = L.nsecAt;
  return new NativeStat(
    devOf(v, L), lo(v, L.ino), hi(v, L.ino), lo(v, L.nlink), hi(v, L.nlink), lo(v, L.size), hi(v, L.size), lo(v, L.mode),
    v.getInt32(L.atime.at, true), v.getInt32(L.atime.at + 4, true), v.getInt32(L.atime.at + n, true),
    v.getInt32(L.mtime.at, true), v.getInt32(L.mtime.at + 4, true), v.getInt32(L.mtime.at + n, true),
    v.getInt32(L.ctime.at, true), v.getInt32(L.ctime.at + 4, true), v.getInt32(L.ctime.at + n, true),
  );
}

/** The mode bits (file type and permissions) of the filled stat buffer `b` of layout `L`. */
export function modeIn(b: Buffer, L: StatLayout): number {
  return lo(viewOf(b), L.mode);
}

/**
 * Writes the filled stat buffer `b` of layout `L` as a WASI `filestat` (layout `F`, `filetype`
 * already worked out) at `at` of `v`, which the caller has bounds-checked: what `decodeStat(b,
 * L).writeTo(v, at, F, filetype)` writes, with no `NativeStat` made (a walk stats every entry, and
 * the object was most of its garbage and of what V8 compiled for it).
 */
export function putFilestatFrom(b: Buffer, L: StatLayout, v: DataView, at: number, F: FilestatLayout, filetype: number): void {
  const s = viewOf(b);
  const n = L.nsecAt;
  v.setBigUint64(at + F.dev, devOf(s, L), true);
  v.setUint32(at + F.ino, lo(s, L.ino), true);
  v.setUint32(at + F.ino + 4, hi(s, L.ino), true);
  v.setUint32(at + F.filetype, filetype, true); // the filetype byte and the padding after it
  v.setUint32(at + F.filetype + 4, 0, true);
  v.setUint32(at + F.nlink, lo(s, L.nlink), true);
  v.setUint32(at + F.nlink + 4, hi(s, L.nlink), true);
  v.setUint32(at + F.size, lo(s, L.size), true);
  v.setUint32(at + F.size + 4, hi(s, L.size), true);
  putNanos(v, at + F.atim, s.getUint32(L.atime.at, true), s.getInt32(L.atime.at + 4, true), s.getUint32(L.atime.at + n, true));
  putNanos(v, at + F.mtim, s.getUint32(L.mtime.at, true), s.getInt32(L.mtime.at + 4, true), s.getUint32(L.mtime.at + n, true));
  putNanos(v, at + F.ctim, s.getUint32(L.ctime.at, true), s.getInt32(L.ctime.at + 4, true), s.getUint32(L.ctime.at + n, true));
}
