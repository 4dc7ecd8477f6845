/**
 * The native stat result (main/runtime/host-calls/stat.ts): what it writes into a guest's
 * `filestat` without bigints is exactly what the bigint fields say, for every time a 64-bit
 * `filestat` can hold and past it (wrapped modulo 2^64, as `setBigUint64` does), with 64-bit inode
 * numbers and sizes, on the statx layout and on macOS's; and the wasm writer (filestat-wasm.ts)
 * writes the same bytes as the JavaScript one.
 */
import { describe, expect, it } from 'vitest';
import { Layout } from '../../../main/runtime/abi.ts';
import { platforms } from '../../../main/runtime/host-calls/platform.ts';
import { decodeStat, isDirectoryIn, modeIn, putFilestatFrom } from '../../../main/runtime/host-calls/stat.ts';
import { filestatWriter } from '../../../main/runtime/host-calls/filestat-wasm.ts';

const F = Layout.filestat;
const SECONDS = [0n, 1n, 59n, 1_765_000_000n, 4_294_967_295n, 4_294_967_296n, 18_446_744_073n, 18_446_744_074n,
  (1n << 53n) / 1_000_000_000n, 9_007_199_254n, (1n << 53n) - 1n, (1n << 62n), -1n, -1_000_000n, -(1n << 40n)];
const NSEC = [0n, 1n, 999_999_999n, 123_456_789n];

describe.each(['linux-x64', 'darwin-arm64'])('a %s stat buffer', (platform) => {
  const L = platforms()[platform]!.stat;
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
        const direct = new DataView(new ArrayBuffer(F.bytes + 8));
        putFilestatFrom(buf, L, direct, 8, F, 3);
        expect(new Uint8Array(direct.buffer)).toEqual(new Uint8Array(mem.buffer));
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

describe('the wasm filestat writer (filestat-wasm.ts) on a statx buffer', () => {
  const L = platforms()['linux-x64']!.stat;
  const stat = new WebAssembly.Memory({ initial: 1, maximum: 1 });
  const buf = Buffer.from(stat.buffer, 0, 256);
  const guest = new WebAssembly.Memory({ initial: 1 });
  const put = filestatWriter(guest, stat)!;
  const view = new DataView(guest.buffer);

  it('writes what decodeStat(...).writeTo and putFilestatFrom write, for every time, inode, size and device', () => {
    expect(put).toBeTypeOf('function');
    const cases: [bigint, bigint, number, number, number][] = [
      [1n, 0n, 0, 0, 1], [(1n << 40n) + 12345n, (1n << 33n) + 7n, 8, 1, 3], [0xfedcba98_87654321n, 0x7edcba98_80000001n, 0xfffff123, 0xfffffeff, 0x80000001],
    ];
    for (const [ino, size, major, minor, nlink] of cases) {
      buf.writeBigUInt64LE(ino, L.ino.at);
      buf.writeBigUInt64LE(size, L.size.at);
      buf.writeUInt32LE(nlink, L.nlink.at);
      buf.writeUInt16LE(0o100644, L.mode.at);
      buf.writeUInt32LE(major, L.dev.at);
      buf.writeUInt32LE(minor, L.dev.at + 4);
      for (const sec of SECONDS) {
        for (const nsec of NSEC) {
          for (const [f, s] of [[L.atime, sec], [L.mtime, -sec], [L.ctime, sec + 7n]] as const) {
            buf.writeBigInt64LE(s, f.at);
            buf.writeUInt32LE(Number(nsec), f.at + L.nsecAt);
          }
          const at = 13; // unaligned on purpose
          const want = new DataView(new ArrayBuffer(F.bytes + 16));
          decodeStat(buf, L).writeTo(want, at, F, 4);
          const also = new DataView(new ArrayBuffer(F.bytes + 16));
          putFilestatFrom(buf, L, also, at, F, 4);
          new Uint8Array(guest.buffer).fill(0xee);
          put(at, 4);
          const got = new Uint8Array(guest.buffer, at, F.bytes);
          expect([...got], `${ino} ${sec}.${nsec}`).toEqual([...new Uint8Array(want.buffer, at, F.bytes)]);
          expect([...got]).toEqual([...new Uint8Array(also.buffer, at, F.bytes)]);
          expect(view.getUint8(at - 1)).toBe(0xee);
          expect(view.getUint8(at + F.bytes)).toBe(0xee);
          expect(modeIn(buf, L)).toBe(0o100644);
        }
      }
    }
  });
});
