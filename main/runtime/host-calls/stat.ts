import fs from 'node:fs';
import type { HostStat } from './types.ts';
import { type Field, type StatLayout, makedev } from './platform.ts';

const S_IFMT = BigInt(fs.constants.S_IFMT);
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

function field(b: Buffer, f: Field): bigint {
  if (f.bytes === 8) return b.readBigUInt64LE(f.at);
  return BigInt(f.bytes === 4 ? b.readUInt32LE(f.at) : b.readUInt16LE(f.at));
}

function time(b: Buffer, f: Field, L: StatLayout): bigint {
  const sec = b.readBigInt64LE(f.at);
  const nsec = L.nsecBytes === 4 ? BigInt(b.readUInt32LE(f.at + L.nsecAt)) : b.readBigInt64LE(f.at + L.nsecAt);
  return sec * 1_000_000_000n + nsec;
}

/** Decodes a filled stat buffer of layout `L` (little-endian) into a `HostStat`. */
export function decodeStat(b: Buffer, L: StatLayout): HostStat {
  const dev = L.kind === 'statx' ? makedev(b.readUInt32LE(L.dev.at), b.readUInt32LE(L.dev.at + 4)) : field(b, L.dev);
  return new NativeStat({
    dev, ino: field(b, L.ino), nlink: field(b, L.nlink), size: field(b, L.size), mode: field(b, L.mode),
    atimeNs: time(b, L.atime, L), mtimeNs: time(b, L.mtime, L), ctimeNs: time(b, L.ctime, L),
  });
}
