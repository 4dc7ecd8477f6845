/**
 * The native stat result (main/runtime/host-calls/stat.ts): what it writes into a guest's
 * `filestat` without bigints is exactly what the bigint fields say, for every time a 64-bit
 * `filestat` can hold and past it (wrapped modulo 2^64, as `setBigUint64` does), with 64-bit inode
 * numbers and sizes, on the statx layout and on macOS's.
 */
import { describe, expect, it } from 'vitest';
import { Layout } from '../../../main/runtime/abi.ts';
import { PLATFORMS } from '../../../main/runtime/host-calls/platform.ts';
import { decodeStat, isDirectoryIn } from '../../../main/runtime/host-calls/stat.ts';

const F = Layout.filestat;
const SECONDS = [0n, 1n, 59n, 1_765_000_000n, 4_294_967_295n, 4_294_967_296n, 18_446_744_073n, 18_446_744_074n,
  (1n << 53n) / 1_000_000_000n, 9_007_199_254n, (1n << 53n) - 1n, (1n << 62n), -1n, -1_000_000n, -(1n << 40n)];
const NSEC = [0n, 1n, 999_999_999n, 123_456_789n];

describe.each(['linux-x64', 'darwin-arm64'])('a %s stat buffer', (platform) => {
  const L = PLATFORMS[platform]!.stat;
  const buf = Buffer.alloc(L.bytes);
  const put = (f: { at: number; bytes: number }, v: bigint): void => {
    if (f.bytes === 8) buf.writeBigUInt64LE(BigInt.asUintN(64, v), f.at);
    else if (f.bytes === 4) buf.writeUInt32LE(Number(v), f.at);
    else buf.writeUInt16LE(Number(v), f.at);
  };
  const putTime = (f: { at: number }, sec: bigint, nsec: bigint): void => {
    buf.writeBigInt64LE(sec, f.at);
    if (L.nsecBytes === 4) buf.writeUInt32LE(Number(nsec), f.at + L.nsecAt);
    else buf.writeBigInt64LE(nsec, f.at + L.nsecAt);
  };

  it('writes every time as sec·10^9 + nsec modulo 2^64, and the other fields as read', () => {
    const ino = (1n << 40n) + 12345n;
    const size = (1n << 33n) + 7n;
    put(L.ino, ino);
    put(L.size, size);
    put(L.nlink, 3n);
    put(L.mode, 0o40755n);
    const mem = new DataView(new ArrayBuffer(F.bytes + 8));
    for (const sec of SECONDS) {
      for (const nsec of NSEC) {
        putTime(L.atime, sec, nsec);
        putTime(L.mtime, sec + 1n, nsec);
        putTime(L.ctime, -sec, nsec);
        const st = decodeStat(buf, L);
        const want = (s: bigint): bigint => s * 1_000_000_000n + nsec;
        expect([st.atimeNs, st.mtimeNs, st.ctimeNs]).toEqual([want(sec), want(sec + 1n), want(-sec)]);
        st.writeTo(mem, 8, F, 3);
        const got = (at: number): bigint => mem.getBigUint64(8 + at, true);
        expect([got(F.atim), got(F.mtim), got(F.ctim)], `${sec}.${nsec}`)
          .toEqual([BigInt.asUintN(64, want(sec)), BigInt.asUintN(64, want(sec + 1n)), BigInt.asUintN(64, want(-sec))]);
        expect([got(F.ino), got(F.size), got(F.nlink), got(F.dev)]).toEqual([ino, size, 3n, st.dev]);
        expect(mem.getUint8(8 + F.filetype)).toBe(3);
      }
    }
    const st = decodeStat(buf, L);
    expect([st.ino, st.size, st.nlink, st.mode]).toEqual([ino, size, 3n, 0o40755n]);
    expect([st.isDirectory(), st.isFile(), st.isSymbolicLink()]).toEqual([true, false, false]);
  });

  it('halves with their top bit set read back unsigned (they are kept as signed int32s)', () => {
    const ino = 0xfedcba98_87654321n;
    const size = 0x7edcba98_80000001n;
    const nlink = L.nlink.bytes === 4 ? 0x80000001n : 0xffffn;
    put(L.ino, ino);
    put(L.size, size);
    put(L.nlink, nlink);
    put(L.mode, 0o40755n);
    putTime(L.atime, 0xffffffffn, 999_999_999n);
    putTime(L.mtime, 0x80000000n, 0n);
    putTime(L.ctime, 0x1_80000000n, 1n);
    const st = decodeStat(buf, L);
    expect([st.ino, st.size, st.nlink]).toEqual([ino, size, nlink]);
    expect([st.atimeNs, st.mtimeNs, st.ctimeNs]).toEqual([0xffffffffn * 1_000_000_000n + 999_999_999n, 0x80000000n * 1_000_000_000n, 0x1_80000000n * 1_000_000_000n + 1n]);
    const mem = new DataView(new ArrayBuffer(F.bytes));
    st.writeTo(mem, 0, F, 3);
    const got = (at: number): bigint => mem.getBigUint64(at, true);
    expect([got(F.ino), got(F.size), got(F.nlink), got(F.atim), got(F.mtim), got(F.ctim)])
      .toEqual([ino, size, nlink, st.atimeNs, st.mtimeNs, st.ctimeNs]);
    expect(st.isDirectoryAt(st.dev, 0x87654321, 0xfedcba98)).toBe(true);
    expect(isDirectoryIn(buf, L, st.dev, 0x87654321, 0xfedcba98)).toBe(true);
    expect(isDirectoryIn(buf, L, st.dev, 0x87654321, 0xfedcba97)).toBe(false);
  });

  it('isDirectoryIn compares both halves of the inode number', () => {
    const ino = (5n << 32n) + 77n;
    put(L.ino, ino);
    put(L.mode, 0o40700n);
    const dev = decodeStat(buf, L).dev;
    expect(isDirectoryIn(buf, L, dev, 77, 5)).toBe(true);
    expect(isDirectoryIn(buf, L, dev, 77, 4)).toBe(false);
    expect(isDirectoryIn(buf, L, dev, 78, 5)).toBe(false);
    expect(isDirectoryIn(buf, L, dev + 1n, 77, 5)).toBe(false);
    put(L.mode, 0o100644n);
    expect(isDirectoryIn(buf, L, dev, 77, 5)).toBe(false);
  });
});
