import { wasmModuleOnce } from './wasm-module.ts';

/**
 * A guest's `filestat` written from a Linux `statx` buffer by a small wasm function instead of
 * JavaScript (issues 11.6, 14.3). A walk stats every entry; the JavaScript that turned the host's
 * buffer into the guest's struct (about thirty DataView reads and writes and three exact
 * `sec·10^9 + nsec` products) ran in V8's interpreter and baseline tiers for most of a 20,000-entry
 * walk (~0.6 µs a call, against ~0.1 µs for the wasm call, which Liftoff compiles before its
 * first call) and was then compiled again by TurboFan inside every caller it was inlined into.
 *
 * The module imports two memories (wasm multi-memory, in V8 since 12.0): the guest's (0) and the
 * thread's stat buffer (1, one page that never grows, so its address, which the native `statx`
 * is given, never changes). `put(out, filetype)` writes the 64-byte preview1 `filestat` at `out`
 * of the guest's memory (the caller has bounds-checked it): dev as glibc's `makedev(major, minor)`
 * (what Node reports as `st.dev`, platform.ts `makedev`), ino, the filetype byte and seven zero
 * bytes, nlink, size, then atim, mtim and ctim as `tv_sec·10^9 + tv_nsec` modulo 2^64 (what
 * `setBigUint64` of the exact BigInt stores, stat.ts `putNanos`). The statx offsets are
 * platform.ts's `STATX`; other layouts keep the JavaScript writer (stat.ts `putFilestatFrom`).
 *
 * The bytes below are this text assembled by binaryen (`parseText`, features MVP + multi-memory):
 *
 *   (module
 *     (import "g" "m" (memory $g 0))
 *     (import "s" "m" (memory $s 1 1))
 *     (func $makedev (param $M i64) (param $m i64) (result i64)
 *       (i64.or (i64.or
 *         (i64.shl (i64.and (local.get $M) (i64.const 0xfffff000)) (i64.const 32))
 *         (i64.shl (i64.and (local.get $M) (i64.const 0xfff)) (i64.const 8)))
 *       (i64.or
 *         (i64.shl (i64.and (local.get $m) (i64.const 0xffffff00)) (i64.const 12))
 *         (i64.and (local.get $m) (i64.const 0xff)))))
 *     (func $ns (param $at i32) (result i64)
 *       (i64.add (i64.mul (i64.load $s (local.get $at)) (i64.const 1000000000))
 *                (i64.load32_u $s offset=8 (local.get $at))))
 *     (func (export "put") (param $out i32) (param $ft i32)
 *       (i64.store $g (local.get $out) (call $makedev (i64.load32_u $s (i32.const 136)) (i64.load32_u $s (i32.const 140))))
 *       (i64.store $g offset=8 (local.get $out) (i64.load $s (i32.const 32)))
 *       (i64.store $g offset=16 (local.get $out) (i64.extend_i32_u (local.get $ft)))
 *       (i64.store $g offset=24 (local.get $out) (i64.load32_u $s (i32.const 16)))
 *       (i64.store $g offset=32 (local.get $out) (i64.load $s (i32.const 40)))
 *       (i64.store $g offset=40 (local.get $out) (call $ns (i32.const 64)))
 *       (i64.store $g offset=48 (local.get $out) (call $ns (i32.const 112)))
 *       (i64.store $g offset=56 (local.get $out) (call $ns (i32.const 96)))))
 */
const HEX =
  '0061736d0100000001110360027e7e017e60017f017e60027f7f000210020167016d0200000173016d02010101030403' +
  '0001020707010370757400020aa401032c0020004280e0ffff0f83422086200042ff1f834208868420014280feffff0f' +
  '83420c86200142ff018384840b1600200029430100428094ebdc037e2000354201087c0b5e00200041880135420100418c' +
  '01354201001000370300200041202943010037030820002001ad37031020004110354201003703182000412829430100' +
  '370320200041c0001001370328200041f0001001370330200041e00010013703380b';

/** The module, or null where this V8 cannot compile it (no multi-memory): the caller keeps JavaScript. */
const module = wasmModuleOnce(HEX);

/** Writes a `filestat` at `out` of the guest's memory, of file type `filetype`, from the stat buffer. */
export type FilestatWriter = (out: number, filetype: number) => void;

/**
 * `put` of an instance over `guest` and `stat` (the stat buffer, its first 256 bytes a statx),
 * or undefined when it cannot be made (no multi-memory, or a guest memory the import does not
 * match, e.g. a shared one).
 */
export function filestatWriter(guest: WebAssembly.Memory, stat: WebAssembly.Memory): FilestatWriter | undefined {
  const m = module();
  if (m === null) return undefined;
  try {
    return new WebAssembly.Instance(m, { g: { m: guest }, s: { m: stat } }).exports.put as FilestatWriter;
  } catch {
    return undefined;
  }
}
