import fs from 'node:fs';
import type { HostStat } from './types.ts';
import { type Field, type StatLayout, makedev } from './platform.ts';

const S_IFMT = BigInt(fs.constants.S_IFMT);
const S_IFMT_BITS = fs.constants.S_IFMT;
const S_IFDIR_BITS = fs.constants.S_IFDIR;
const kind = (v: number | undefined): bigint => BigInt(v ?? -1);
const S_IFREG = kind(fs.constants.S_IFREG);
const S_IFDIR = kind(fs.constants.S_IFDIR);
const S_IFLNK = kind(fs.constants.S_IFLNK);
const S_IFCHR = kind(fs.constants.S_IFCHR);
const S_IFBLK = kind(fs.constants.S_IFBLK);
const S_IFSOCK = kind(fs.constants.S_IFSOCK);
const S_IFIFO = kind(fs.constants.S_IFIFO);

/** A `HostStat` decoded from the C library's stat buffer. */
class NativeStat implements HostStat {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly nlink: bigint;
  readonly size: bigint;
  readonly mode: bigint;
  readonly atimeNs: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  constructor(f: Omit<HostStat, `is${string}`>) {
    this.dev = f.dev;
    this.ino = f.ino;
    this.nlink = f.nlink;
    this.size = f.size;
    this.mode = f.mode;
    this.atimeNs = f.atimeNs;
    this.mtimeNs = f.mtimeNs;
    this.ctimeNs = f.ctimeNs;
  }
  private is(t: bigint): boolean {
    return (this.mode & S_IFMT) === t;
  }
  isFile(): boolean { return this.is(S_IFREG); }
  isDirectory(): boolean { return this.is(S_IFDIR); }
  isSymbolicLink(): boolean { return this.is(S_IFLNK); }
  isCharacterDevice(): boolean { return this.is(S_IFCHR); }
  isBlockDevice(): boolean { return this.is(S_IFBLK); }
  isSocket(): boolean { return this.is(S_IFSOCK); }
  isFIFO(): boolean { return this.is(S_IFIFO); }
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

function field(v: DataView, f: Field): bigint {
  if (f.bytes === 8) return v.getBigUint64(f.at, true);
  return BigInt(f.bytes === 4 ? v.getUint32(f.at, true) : v.getUint16(f.at, true));
}

function time(v: DataView, f: Field, L: StatLayout): bigint {
  const sec = v.getBigInt64(f.at, true);
  const nsec = L.nsecBytes === 4 ? BigInt(v.getUint32(f.at + L.nsecAt, true)) : v.getBigInt64(f.at + L.nsecAt, true);
  return sec * 1_000_000_000n + nsec;
}

// Files of a run are mostly on one device: its dev_t is built once.
let lastMajor = -1;
let lastMinor = -1;
let lastDev = 0n;

function devOf(v: DataView, L: StatLayout): bigint {
  if (L.kind !== 'statx') return field(v, L.dev);
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
 * True when the filled stat buffer `b` of layout `L` is directory `ino` on device `dev`, read
 * straight from the buffer (no `HostStat`: the resolver checks its cached directories at every step).
 */
export function isDirectoryIn(b: Buffer, L: StatLayout, dev: bigint, ino: bigint): boolean {
  const v = viewOf(b);
  const mode = L.mode.bytes === 2 ? v.getUint16(L.mode.at, true) : v.getUint32(L.mode.at, true);
  return (mode & S_IFMT_BITS) === S_IFDIR_BITS && field(v, L.ino) === ino && devOf(v, L) === dev;
}

/** Decodes a filled stat buffer of layout `L` (little-endian) into a `HostStat`. */
export function decodeStat(b: Buffer, L: StatLayout): HostStat {
  const v = viewOf(b);
  const dev = devOf(v, L);
  return new NativeStat({
    dev, ino: field(v, L.ino), nlink: field(v, L.nlink), size: field(v, L.size), mode: field(v, L.mode),
    atimeNs: time(v, L.atime, L), mtimeNs: time(v, L.mtime, L), ctimeNs: time(v, L.ctime, L),
  });
}
