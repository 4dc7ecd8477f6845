/**
 * A hand-assembled WASI command that floods stdout: it writes the same 60000 bytes (zeros) with
 * fd_write in an endless loop, so the output pipeline's batching and backpressure can be tested.
 * Counted (`floodModule(true)`), each write's first 4 bytes are its number (1, 2, …, little-endian
 * u32): output that arrives out of order, twice, or overwritten by later output shows.
 */
const leb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...leb(n >>> 7)]);
const sleb = (n: number): number[] => {
  const b = n & 0x7f;
  const r = n >> 7;
  return r === 0 && !(b & 0x40) ? [b] : [b | 0x80, ...sleb(r)];
};
const name = (s: string): number[] => [...leb(s.length), ...Buffer.from(s)];
const vec = (xs: number[][]): number[] => [...leb(xs.length), ...xs.flat()];
const section = (id: number, c: number[]): number[] => [id, ...leb(c.length), ...c];
const i32 = (n: number): number[] => [0x41, ...sleb(n)];

/** The module's bytes. */
export function floodModule(counted = false): Uint8Array {
  // iovec at 0 = {1024, 60000}; loop { [mem[1024] += 1;] fd_write(1, 0, 1, 8) }
  const count = counted ? [...i32(1024), ...i32(1024), 0x28, 2, 0, ...i32(1), 0x6a, 0x36, 2, 0] : [];
  const body = [0x00, ...i32(0), ...i32(1024), 0x36, 2, 0, ...i32(4), ...i32(60000), 0x36, 2, 0,
    0x03, 0x40, ...count, ...i32(1), ...i32(0), ...i32(1), ...i32(8), 0x10, 0, 0x1a, 0x0c, 0, 0x0b, 0x0b];
  return Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([[0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f], [0x60, 0, 0]])),
    ...section(2, vec([[...name('wasi_snapshot_preview1'), ...name('fd_write'), 0, 0]])),
    ...section(3, vec([[1]])),
    ...section(5, vec([[0, 2]])),
    ...section(7, vec([[...name('memory'), 2, 0], [...name('_start'), 0, 1]])),
    ...section(10, vec([[...leb(body.length), ...body]]))]);
}
