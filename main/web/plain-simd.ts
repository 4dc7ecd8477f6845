/**
 * `isPlain` (preload/plain-text.ts) for main's web transport, 16 bytes at a time with WebAssembly
 * SIMD: the same answer, about five times faster in Node (0.2 against 0.9–1.3 ms per MiB, the copy
 * into its memory included). Main checks every byte of a flood once (main/web/server.ts marks plain
 * output so the page does not look again), and that check was a third of main's thread during a
 * flood (docs/design/wflow.md, Round 4). Without SIMD (an engine that refuses the module), the
 * plain JavaScript check.
 */
import { isPlain } from '../../preload/plain-text.ts';

const leb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...leb(n >>> 7)]);
const section = (id: number, c: number[]): number[] => [id, ...leb(c.length), ...c];
const vec = (xs: number[][]): number[] => [...leb(xs.length), ...xs.flat()];
const name = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
/** A SIMD instruction (0xfd prefix). */
const simd = (code: number): number[] => [0xfd, ...leb(code)];
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
/** A v128 of 16 bytes `b` (i32.const b, b < 0x80, in signed LEB; then i8x16.splat). */
const splat = (b: number): number[] => [0x41, ...(b < 0x40 ? [b] : [b | 0x80, 0]), ...simd(0x0f)];
const [LOAD, EQ, LT_U, GT_U, ANDNOT, OR, ANY_TRUE] = [0x00, 0x23, 0x26, 0x28, 0x4f, 0x50, 0x53];

/**
 * The module: memory (2 pages, exported) and `plain(n)`, 1 when bytes [0, n) (n a positive multiple
 * of 16) are all printable ASCII, tab, LF or CR, else 0. Per 16 bytes v: bad = (v <u 0x20 and not
 * 9, 10 or 13) or v >u 0x7e, or-ed together, tested once at the end.
 * Locals: 0 n, 1 i (i32); 2 acc, 3 v, 4-8 the constants 0x20, 0x7e, 9, 10, 13 (v128).
 */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const body = [
    ...vec([[1, 0x7f], [7, 0x7b]]),
    ...splat(0x20), ...set(4), ...splat(0x7e), ...set(5), ...splat(9), ...set(6), ...splat(10), ...set(7), ...splat(13), ...set(8),
    0x03, 0x40, // loop
    ...get(1), ...simd(LOAD), 4, 0, ...set(3),
    ...get(2),
    ...get(3), ...get(4), ...simd(LT_U),
    ...get(3), ...get(6), ...simd(EQ), ...get(3), ...get(7), ...simd(EQ), ...simd(OR), ...get(3), ...get(8), ...simd(EQ), ...simd(OR),
    ...simd(ANDNOT),
    ...get(3), ...get(5), ...simd(GT_U),
    ...simd(OR), ...simd(OR), ...set(2),
    ...get(1), 0x41, 16, 0x6a, 0x22, 1, ...get(0), 0x49, 0x0d, 0, // i += 16; br_if i <u n
    0x0b,
    ...get(2), ...simd(ANY_TRUE), 0x45, // !any_true(acc)
    0x0b,
  ];
  return Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([[0x60, 1, 0x7f, 1, 0x7f]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0, 2]])),
    ...section(7, vec([[...name('memory'), 2, 0], [...name('plain'), 0, 0]])),
    ...section(10, vec([[...leb(body.length), ...body]]))]);
}

/** Bytes checked per call: copied into the module's memory first (it stays in the cache). */
const CHUNK = 64 * 1024;
/** Below this, the JavaScript check (no copy, no call into the module). */
const SMALL = 256;

interface Checker {
  mem: Uint8Array;
  plain: (n: number) => number;
}
/** The module's instance once made; null when the engine refused it. */
let checker: Checker | null | undefined;

function load(): Checker | null {
  try {
    const bytes = moduleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    return { mem: new Uint8Array((inst.exports.memory as WebAssembly.Memory).buffer), plain: inst.exports.plain as (n: number) => number };
  } catch {
    return null;
  }
}

/** Whether `data` is plain text: exactly `isPlain(data)`. */
export function isPlainFast(data: Uint8Array): boolean {
  if (data.length < SMALL) return isPlain(data);
  checker ??= load();
  if (checker === null) return isPlain(data);
  const { mem, plain } = checker;
  for (let off = 0; off < data.length; off += CHUNK) {
    const n = Math.min(CHUNK, data.length - off);
    mem.set(off === 0 && n === data.length ? data : data.subarray(off, off + n), 0);
    const padded = (n + 15) & ~15;
    if (padded > n) mem.fill(0x20, n, padded);
    if (plain(padded) === 0) return false;
  }
  return true;
}
