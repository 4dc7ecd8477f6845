/**
 * A directory's `getdents64` output laid out as preview1 dirents by a small wasm function instead
 * of JavaScript (issue 11.6). A walk lists every folder once: the JavaScript loop that went through
 * each record (dirents.ts `parseDirents`, the listing's `addBytes`) ran in V8's lower tiers for the
 * first folders and was then compiled twice by TurboFan (on-stack for the loop, then whole, with
 * `addBytes` inlined): ~30 ms of background compiling in a 20 × 1,000 walk (walk2.md round 5).
 *
 * The module imports one memory of three pages that never grows (its address, which the native
 * `getdents64` is given, never changes): the host's records in [0, 64 KiB), the dirents written
 * from 64 KiB, and from 160 KiB the end of each entry written (an i32 each, as an offset in the
 * listing). `convert(n, count, base)` goes through the `n` bytes of records (Linux's
 * `struct dirent64`: d_ino at 0, d_reclen at 16, d_type at 18, the name at 19), skips "." and "..",
 * and writes each entry as `DirListing.addBytes` does: d_next = its index + 1 (`count` entries are
 * in the listing already), d_ino, d_namlen, the WASI filetype (platform `d_type` → preview1, a FIFO
 * as unknown) with three zero bytes, then the name; the end of entry j at 160 KiB + 4j is `base` (where
 * the listing's next entry starts) plus the bytes written up to it. It returns how many entries it
 * wrote, or -1, having committed nothing, for a name with a byte above 0x7f (the listing decodes
 * it) or a kind it does not map (`DT_UNKNOWN` and others: the listing stats them): the caller then
 * parses the same records in JavaScript.
 *
 * The bytes below are this text assembled by binaryen (`wasm-as --enable-bulk-memory`):
 *
 *   (module
 *     (import "d" "m" (memory $m 3 3))
 *     (func (export "convert") (param $n i32) (param $count i32) (param $base i32) (result i32)
 *       (local $at i32) (local $reclen i32) (local $start i32) (local $end i32) (local $limit i32)
 *       (local $len i32) (local $c i32) (local $t i32) (local $ft i32) (local $o i32) (local $k i32)
 *       (local.set $o (i32.const 65536))
 *       (block $done
 *         (loop $next
 *           (br_if $done (i32.ge_u (local.get $at) (local.get $n)))
 *           (local.set $reclen (i32.load16_u offset=16 (local.get $at)))
 *           (br_if $done (i32.eqz (local.get $reclen)))
 *           (local.set $start (i32.add (local.get $at) (i32.const 19)))
 *           (local.set $limit (i32.add (local.get $at) (local.get $reclen)))
 *           (if (i32.gt_u (local.get $limit) (local.get $n)) (then (local.set $limit (local.get $n))))
 *           (local.set $end (local.get $start))
 *           (block $nul
 *             (loop $scan
 *               (br_if $nul (i32.ge_u (local.get $end) (local.get $limit)))
 *               (local.set $c (i32.load8_u (local.get $end)))
 *               (br_if $nul (i32.eqz (local.get $c)))
 *               (if (i32.gt_u (local.get $c) (i32.const 0x7f)) (then (return (i32.const -1))))
 *               (local.set $end (i32.add (local.get $end) (i32.const 1)))
 *               (br $scan)))
 *           (local.set $len (i32.sub (local.get $end) (local.get $start)))
 *           (if (i32.eqz
 *                 (i32.and (i32.eq (i32.load8_u (local.get $start)) (i32.const 0x2e))
 *                   (i32.or (i32.eq (local.get $len) (i32.const 1))
 *                     (i32.and (i32.eq (local.get $len) (i32.const 2))
 *                       (i32.eq (i32.load8_u offset=1 (local.get $start)) (i32.const 0x2e))))))
 *             (then
 *               (local.set $t (i32.load8_u offset=18 (local.get $at)))
 *               (local.set $ft (i32.const -1))
 *               (if (i32.eq (local.get $t) (i32.const 1)) (then (local.set $ft (i32.const 0))))
 *               (if (i32.eq (local.get $t) (i32.const 2)) (then (local.set $ft (i32.const 2))))
 *               (if (i32.eq (local.get $t) (i32.const 4)) (then (local.set $ft (i32.const 3))))
 *               (if (i32.eq (local.get $t) (i32.const 6)) (then (local.set $ft (i32.const 1))))
 *               (if (i32.eq (local.get $t) (i32.const 8)) (then (local.set $ft (i32.const 4))))
 *               (if (i32.eq (local.get $t) (i32.const 10)) (then (local.set $ft (i32.const 7))))
 *               (if (i32.eq (local.get $t) (i32.const 12)) (then (local.set $ft (i32.const 6))))
 *               (if (i32.lt_s (local.get $ft) (i32.const 0)) (then (return (i32.const -1))))
 *               (local.set $k (i32.add (local.get $k) (i32.const 1)))
 *               (i64.store (local.get $o) (i64.extend_i32_u (i32.add (local.get $count) (local.get $k))))
 *               (i64.store offset=8 (local.get $o) (i64.load (local.get $at)))
 *               (i32.store offset=16 (local.get $o) (local.get $len))
 *               (i32.store offset=20 (local.get $o) (local.get $ft))
 *               (memory.copy (i32.add (local.get $o) (i32.const 24)) (local.get $start) (local.get $len))
 *               (local.set $o (i32.add (local.get $o) (i32.add (local.get $len) (i32.const 24))))
 *               (i32.store offset=163836 (i32.shl (local.get $k) (i32.const 2))
 *                 (i32.add (local.get $base) (i32.sub (local.get $o) (i32.const 65536))))))
 *           (local.set $at (i32.add (local.get $at) (local.get $reclen)))
 *           (br $next)))
 *       (local.get $k)))
 */
const HEX =
  '0061736d0100000001080160037f7f7f017f0209010164016d0201030303020100070b0107636f6e7665727400000ae6' +
  '0201e302010b7f41808004210c02400340200320004f0d0120032f011021042004450d01200341136a2105200320046a' +
  '2107200720004b0440200021070b2005210602400340200620074f0d0120062d000021092009450d01200941ff004b04' +
  '40417f0f0b200641016a21060c000b000b200620056b210820052d0000412e462008410146200841024620052d000141' +
  '2e4671727145044020032d0012210a417f210b200a41014604404100210b0b200a41024604404102210b0b200a410446' +
  '04404103210b0b200a41064604404101210b0b200a41084604404104210b0b200a410a4604404107210b0b200a410c46' +
  '04404106210b0b200b4100480440417f0f0b200d41016a210d200c2001200d6aad370300200c2003290300370308200c' +
  '2008360210200c200b360214200c41186a20052008fc0a0000200c200841186a6a210c200d4102742002200c41808004' +
  '6b6a3602fcff090b200320046a21030c000b000b200d0b';

/** Where the host's records start, where the dirents start, where the entries' ends start. */
export const RECORDS = 0;
export const RECORDS_BYTES = 65536;
export const DIRENTS = 65536;
export const ENDS = 163840;

/** A converter and the memory it works in. */
export interface DirentConverter {
  /** The three pages: the records at `RECORDS`, the dirents at `DIRENTS`. */
  readonly bytes: Uint8Array;
  /** The entries' ends, from `ENDS`. */
  readonly ends: Int32Array;
  /** See above: how many entries were written, or -1. */
  convert(n: number, count: number, base: number): number;
}

/** A converter, or undefined where this V8 cannot compile or instantiate the module (the caller parses in JavaScript). */
export function direntConverter(): DirentConverter | undefined {
  try {
    const memory = new WebAssembly.Memory({ initial: 3, maximum: 3 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(HEX, 'hex')), { d: { m: memory } });
    return {
      bytes: new Uint8Array(memory.buffer),
      ends: new Int32Array(memory.buffer, ENDS),
      convert: instance.exports.convert as (n: number, count: number, base: number) => number,
    };
  } catch {
    return undefined;
  }
}
