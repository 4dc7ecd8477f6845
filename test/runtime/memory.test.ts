/**
 * GuestMemory over a real WebAssembly.Memory: every guest pointer and length is bounds-checked
 * (fault, never a host exception), views follow `memory.grow`, and guest-controlled sizes are
 * capped (DESIGN §3).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Errno } from '../../main/runtime/abi.ts';
import { WasiError } from '../../main/runtime/errors.ts';
import fs from 'node:fs';
import { loadCommand } from '../../main/runtime/load.ts';
import { GuestMemory, MAX_IOVS, MAX_IO_BYTES, MAX_PATH_BYTES } from '../../main/runtime/memory.ts';
import { startRun } from '../../main/runtime/run.ts';
import { fixture } from '../helpers/paths.ts';

const PAGE = 65536;

/** Runs `f` and returns the WasiError errno it threw; fails the test on anything else. */
function errnoOf(f: () => unknown): number {
  try {
    f();
  } catch (err) {
    if (err instanceof WasiError) return err.errno;
    throw err;
  }
  throw new Error('expected a WasiError, nothing was thrown');
}

let memory: WebAssembly.Memory;
let gm: GuestMemory;
beforeEach(() => {
  memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  gm = new GuestMemory(memory);
});

/** Each accessor with its width, a read and a write at `ptr`, and what the read gives back. */
const accessors: [string, number, (p: number) => unknown, (p: number) => void, unknown][] = [
  ['u8', 1, (p) => gm.u8At(p), (p) => gm.setU8(p, 0xab), 0xab],
  ['u16', 2, (p) => gm.u16At(p), (p) => gm.setU16(p, 0xabcd), 0xabcd],
  ['u32', 4, (p) => gm.u32At(p), (p) => gm.setU32(p, 0xdeadbeef), 0xdeadbeef],
  ['u64', 8, (p) => gm.u64At(p), (p) => gm.setU64(p, 0x0123456789abcdefn), 0x0123456789abcdefn],
  ['bytes/write(3)', 3, (p) => Array.from(gm.bytes(p, 3)), (p) => gm.write(p, new Uint8Array([1, 2, 3])), [1, 2, 3]],
];

describe('bounds', () => {
  it.each(accessors)('%s works at the last valid offset and faults one past it', (_, size, read, write, value) => {
    const last = PAGE - size;
    write(last);
    expect(read(last)).toEqual(value);
    expect(errnoOf(() => read(last + 1))).toBe(Errno.fault);
    expect(errnoOf(() => write(last + 1))).toBe(Errno.fault);
  });

  it('writes little-endian values that read back, and the bytes land where asked', () => {
    gm.setU64(PAGE - 8, 0x0102030405060708n);
    expect(gm.u64At(PAGE - 8)).toBe(0x0102030405060708n);
    expect(gm.u8At(PAGE - 8)).toBe(0x08);
    expect(gm.u8At(PAGE - 1)).toBe(0x01);
    gm.setU64(0, -1n);
    expect(gm.u64At(0)).toBe(0xffffffffffffffffn);
    gm.setU32(16, -1);
    expect(gm.u32At(16)).toBe(0xffffffff);
    expect(gm.u16At(16)).toBe(0xffff);
  });

  it.each([
    ['ptr=0xffffffff len=2 (wraps to 1 in 32 bits)', 0xffffffff, 2],
    ['ptr=-1 len=2 (a signed i32 from wasm)', -1, 2],
    ['ptr=1 len=0xffffffff (wraps to 0)', 1, 0xffffffff],
    ['ptr=0x10 len=-1', 0x10, -1],
    ['ptr=0xfffffff0 len=0x20', 0xfffffff0, 0x20],
    ['ptr=2^31 len=1', 0x80000000, 1],
    ['ptr=one past the end len=0', PAGE + 1, 0],
  ])('faults on %s', (_, ptr, len) => {
    expect(errnoOf(() => gm.bytes(ptr, len))).toBe(Errno.fault);
    expect(errnoOf(() => gm.check(ptr, len))).toBe(Errno.fault);
  });

  it('faults on wrapped pointers for every scalar accessor', () => {
    for (const p of [-1, -4, 0xffffffff, 0xfffffffc]) {
      expect(errnoOf(() => gm.u32At(p))).toBe(Errno.fault);
      expect(errnoOf(() => gm.setU64(p, 1n))).toBe(Errno.fault);
    }
  });

  it('allows an empty range ending exactly at the end of memory', () => {
    expect(gm.bytes(PAGE, 0).length).toBe(0);
  });
});

describe('growth', () => {
  it('sees memory.grow: a write past the old end succeeds afterwards', () => {
    gm.setU32(0, 0xcafebabe);
    expect(errnoOf(() => gm.setU32(PAGE, 1))).toBe(Errno.fault);
    expect(memory.grow(1)).toBe(1);
    gm.setU32(PAGE, 0x11223344);
    expect(gm.u32At(PAGE)).toBe(0x11223344);
    expect(gm.u32At(0)).toBe(0xcafebabe);
    expect(new DataView(memory.buffer).getUint32(PAGE, true)).toBe(0x11223344);
    expect(errnoOf(() => gm.u8At(2 * PAGE))).toBe(Errno.fault);
  });

  it('reads data below the old end through fresh views after grow (the old buffer is detached)', () => {
    gm.write(100, new Uint8Array([9, 8, 7]));
    memory.grow(2);
    expect(Array.from(gm.bytes(100, 3))).toEqual([9, 8, 7]);
    expect(gm.u8.length).toBe(3 * PAGE);
  });

  // Bug: after grow the cached view is detached (length 0); check(0, 0) passes without a refresh
  // and subarray/set on the detached buffer throw a host TypeError instead of succeeding.
  it('handles a zero-length access at pointer 0 right after grow', () => {
    memory.grow(1);
    expect(gm.bytes(0, 0).length).toBe(0);
    expect(gm.path(0, 0)).toBe('');
    expect(() => gm.write(0, new Uint8Array(0))).not.toThrow();
  });
});

describe('path()', () => {
  const put = (ptr: number, bytes: number[] | Uint8Array): void => gm.write(ptr, Uint8Array.from(bytes));

  it('decodes UTF-8 including multi-byte characters', () => {
    const s = 'naïve/日本語 😀';
    const b = new TextEncoder().encode(s);
    put(PAGE - b.length, b);
    expect(gm.path(PAGE - b.length, b.length)).toBe(s);
  });

  it(`accepts exactly MAX_PATH_BYTES (${MAX_PATH_BYTES}) and refuses one more with nametoolong`, () => {
    put(0, new Uint8Array(MAX_PATH_BYTES + 1).fill(0x61));
    expect(gm.path(0, MAX_PATH_BYTES)).toBe('a'.repeat(MAX_PATH_BYTES));
    expect(errnoOf(() => gm.path(0, MAX_PATH_BYTES + 1))).toBe(Errno.nametoolong);
    expect(errnoOf(() => gm.path(0, 0xffffffff))).toBe(Errno.nametoolong);
  });

  it('faults on a short path that runs past the end', () => {
    expect(errnoOf(() => gm.path(PAGE - 2, 3))).toBe(Errno.fault);
  });

  it.each([
    ['a lone 0xff', [0x61, 0xff]],
    ['a truncated sequence', [0x61, 0xc3]],
    ['an overlong "/"', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a stray continuation byte', [0x80, 0x61]],
  ])('refuses %s with ilseq', (_, bytes) => {
    put(10, bytes);
    expect(errnoOf(() => gm.path(10, bytes.length))).toBe(Errno.ilseq);
  });

  it.each([
    ['in the middle', [0x61, 0x00, 0x62]],
    ['at the end', [0x61, 0x62, 0x00]],
    ['alone', [0x00]],
  ])('refuses a NUL byte %s with inval', (_, bytes) => {
    put(10, bytes);
    expect(errnoOf(() => gm.path(10, bytes.length))).toBe(Errno.inval);
  });

  // ASCII paths are read in place (no view, no decoder); these pin what that quick path must keep.
  describe('ASCII paths (read in place)', () => {
    it('reads one ending at the last byte of memory, and one in memory grown since', () => {
      put(PAGE - 4, [0x64, 0x2f, 0x66, 0x7f]); // "d/f" and DEL, the highest ASCII byte
      expect(gm.path(PAGE - 4, 4)).toBe('d/f\x7f');
      expect(gm.path(PAGE, 0)).toBe('');
      memory.grow(1);
      put(2 * PAGE - 3, [0x61, 0x62, 0x63]);
      expect(gm.path(2 * PAGE - 3, 3)).toBe('abc');
      expect(gm.path(PAGE - 4, 3)).toBe('d/f');
      expect(errnoOf(() => gm.path(2 * PAGE - 3, 4))).toBe(Errno.fault);
    });

    it('reads the bytes as they are now, not as a previous call saw them', () => {
      put(10, [0x61, 0x62]);
      expect(gm.path(10, 2)).toBe('ab');
      put(11, [0x63]);
      expect(gm.path(10, 2)).toBe('ac');
    });

    it('faults on out-of-range and wrapping pointers before reading a byte', () => {
      expect(errnoOf(() => gm.path(PAGE, 1))).toBe(Errno.fault);
      expect(errnoOf(() => gm.path(-1, 2))).toBe(Errno.fault);
      expect(errnoOf(() => gm.path(0xffffffff, 2))).toBe(Errno.fault);
      expect(errnoOf(() => gm.path(PAGE + 1, 0))).toBe(Errno.fault);
      expect(errnoOf(() => gm.path(0, -1))).toBe(Errno.nametoolong);
    });

    it.each([
      ['an ASCII prefix then UTF-8', [0x61, 0x2f, 0xc3, 0xa9], 'a/é'],
      ['UTF-8 then ASCII', [0xc3, 0xa9, 0x2f, 0x61], 'é/a'],
    ])('hands a name with a non-ASCII byte to the strict decoder: %s', (_, bytes, want) => {
      put(10, bytes);
      expect(gm.path(10, bytes.length)).toBe(want);
    });

    it.each([
      ['a NUL before a non-ASCII byte', [0x61, 0x00, 0xc3, 0xa9], Errno.inval],
      ['a NUL after a non-ASCII byte', [0xc3, 0xa9, 0x00], Errno.inval],
      ['a byte above 0x7f after ASCII', [0x61, 0x62, 0x80], Errno.ilseq],
      ['a Latin-1 byte (not UTF-8)', [0x61, 0xe9], Errno.ilseq],
    ])('refuses %s', (_, bytes, errno) => {
      put(10, bytes);
      expect(errnoOf(() => gm.path(10, bytes.length))).toBe(errno);
    });
  });
});

describe('iovecs()', () => {
  const iov = (at: number, buf: number, len: number): void => {
    gm.setU32(at, buf);
    gm.setU32(at + 4, len);
  };

  it('returns live views of each buffer', () => {
    gm.write(1000, new Uint8Array([1, 2, 3, 4, 5]));
    iov(0, 1000, 2);
    iov(8, 1002, 3);
    iov(16, PAGE - 1, 1);
    const v = gm.iovecs(0, 3);
    expect(v.map((b) => Array.from(b))).toEqual([[1, 2], [3, 4, 5], [0]]);
    v[2]![0] = 42;
    expect(gm.u8At(PAGE - 1)).toBe(42);
  });

  it(`accepts MAX_IOVS (${MAX_IOVS}) entries and refuses more with inval`, () => {
    expect(gm.iovecs(0, MAX_IOVS)).toHaveLength(MAX_IOVS);
    expect(errnoOf(() => gm.iovecs(0, MAX_IOVS + 1))).toBe(Errno.inval);
  });

  it('faults (before the count cap) when the array could not even fit in memory', () => {
    expect(errnoOf(() => gm.iovecs(0, 0xffffffff))).toBe(Errno.fault);
    expect(errnoOf(() => gm.iovecs(0, -1))).toBe(Errno.fault);
  });

  it('faults when the iovec array itself is out of range', () => {
    expect(errnoOf(() => gm.iovecs(PAGE - 8, 2))).toBe(Errno.fault);
    expect(errnoOf(() => gm.iovecs(-8, 1))).toBe(Errno.fault);
    expect(gm.iovecs(PAGE - 8, 1)).toHaveLength(1);
  });

  it.each([
    ['one byte past the end', PAGE - 1, 2],
    ['starting at the end', PAGE, 1],
    ['wrapping around 2^32', 0xffffffff, 2],
    ['with a huge length', 0, 0xffffffff],
  ])('faults on a buffer %s', (_, buf, len) => {
    iov(0, 16, 1);
    iov(8, buf, len);
    expect(errnoOf(() => gm.iovecs(0, 2))).toBe(Errno.fault);
  });
});

describe('a transfer of 4 GiB or more', () => {
  it('is cut after MAX_IO_BYTES in all, and every iovec is still bounds-checked', () => {
    // IOV_MAX iovecs, each covering a whole 33-page memory: 2.06 GiB asked, more than the cap.
    const size = 33 * PAGE;
    const big = new GuestMemory(new WebAssembly.Memory({ initial: 33 }));
    for (let i = 0; i < MAX_IOVS; i++) {
      big.setU32(i * 8, 0);
      big.setU32(i * 8 + 4, size);
    }
    const bufs = big.iovecs(0, MAX_IOVS);
    expect(bufs.reduce((n, b) => n + b.length, 0)).toBe(MAX_IO_BYTES);
    expect(bufs.length).toBe(Math.ceil(MAX_IO_BYTES / size));
    big.setU32((MAX_IOVS - 1) * 8, size); // the last one, past the cut, now points past the end
    expect(errnoOf(() => big.iovecs(0, MAX_IOVS))).toBe(Errno.fault);
  });

  it('through fd_write to stdout reports the true number of bytes written, never a wrapped one', async () => {
    let out = 0;
    let err = '';
    const handle = startRun({
      module: loadCommand(fs.readFileSync(fixture('iov_huge'))),
      args: ['iov_huge.wasm'], env: [], preopens: [],
      onOutput: (stream, data) => {
        if (stream === 1) out += data.length;
        else err += Buffer.from(data).toString('utf8');
      },
    });
    handle.endStdin();
    expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
    expect(err).toBe(`write errno=0 n=${MAX_IO_BYTES}\n`);
    expect(out).toBe(MAX_IO_BYTES);
  }, 60_000);
});
