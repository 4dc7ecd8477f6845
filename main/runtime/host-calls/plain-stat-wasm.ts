import { wasmModuleOnce } from './wasm-module.ts';

/**
 * `path_filestat_get`'s whole walk for the paths a tree walk makes ("name" in the folder it
 * was given, "folder/name" through the folder the last walk went through), done by a small wasm
 * function instead of JavaScript (issue 11.6, walk2.md round 7). The JavaScript that did it per
 * entry (the resolver's quick walk, the directory cache's hit, the probe) is the same work, but V8
 * ran it in its interpreter and baseline tiers for a walk's first folders and then compiled it in
 * the background with TurboFan (most of a walk's gap to node:wasi); a wasm function is compiled
 * by Liftoff before its first call and costs about what the optimised JavaScript did.
 *
 * It takes over exactly these steps, with the same system calls on the same held descriptors
 * (DESIGN §3.1), and declines, having written nothing in the guest's memory, wherever the
 * JavaScript walk would do anything else; the caller then walks as before, from the start:
 * - the path: every byte 1..0x7f, one "/" at most, no empty, "." or ".." component (else
 *   declined: `isPlainAscii` and the general walk answer those);
 * - "folder/name": only when the walk starts at the descriptor the directory cache's last hit was
 *   reached from (`parent`) and `folder` is that hit's name (its bytes at 8192 of the stat page,
 *   NUL-terminated, `len` of them). Then the cache's check, as path-resolve.ts `cachedChild` and
 *   native.ts `isDirAt`: `statx(parent, folder, AT_SYMLINK_NOFOLLOW)` must find a directory whose
 *   inode is `ino` on device `dev` (glibc's `makedev` of statx's major and minor); anything else,
 *   an error included, declines (the JavaScript walk then drops the entry and opens the folder).
 *   `name` is then looked up in the cached folder's descriptor `fd`;
 * - the probe, as families/path.ts `statOutProbe`: `statx(dir, name, AT_SYMLINK_NOFOLLOW)`; an
 *   error declines (the JavaScript walk makes the same call and reports its errno), a symlink
 *   declines when the call follows (the general walk expands it); otherwise the filestat is
 *   written by filestat-wasm.ts's `put` with the file type fd-table.ts `filetypeOfMode` gives.
 * The caller has checked the path and `out` against the guest's memory, the descriptor's rights
 * and that it is no ask folder; `startFd` is the descriptor's host fd. A name is copied into the
 * stat page at 256 as a C string for `statx` (a path is at most 4,096 bytes, the page 64 KiB).
 *
 * The module imports the guest's memory (0), the thread's stat page (1, the page native.ts gives
 * `statx`; its address is `base`), the C library's `statx` through koffi (addresses as f64: a JS
 * number, exact below 2^53) and `put`. `stat` returns 0 when it wrote the filestat, 1 when it
 * declined. The bytes below are this text assembled by binaryen (`parseText`, features MVP,
 * multi-memory, bulk memory, mutable globals):
 *
 *   (module
 *     (import "g" "m" (memory $g 0))
 *     (import "s" "m" (memory $s 1 1))
 *     (import "h" "statx" (func $statx (param i32 f64 i32 i32 f64) (result i32)))
 *     (import "h" "put" (func $put (param i32 i32)))
 *     (global $base (export "base") (mut f64) (f64.const 0))
 *     (global $parent (export "parent") (mut i32) (i32.const -1))
 *     (global $fd (export "fd") (mut i32) (i32.const -1))
 *     (global $len (export "len") (mut i32) (i32.const 0))
 *     (global $dev (export "dev") (mut i64) (i64.const 0))
 *     (global $ino (export "ino") (mut i64) (i64.const 0))
 *     (func $odd (param $a i32) (param $b i32) (result i32)
 *       (local $n i32)
 *       (local.set $n (i32.sub (local.get $b) (local.get $a)))
 *       (i32.or (i32.eqz (local.get $n))
 *         (i32.and (i32.le_u (local.get $n) (i32.const 2))
 *           (i32.and (i32.eq (i32.load8_u $g (local.get $a)) (i32.const 0x2e))
 *             (i32.or (i32.eq (local.get $n) (i32.const 1))
 *               (i32.eq (i32.load8_u $g offset=1 (local.get $a)) (i32.const 0x2e)))))))
 *     (func $at (param $dirfd i32) (param $name i32) (result i32)
 *       (call $statx (local.get $dirfd)
 *         (f64.add (global.get $base) (f64.convert_i32_u (local.get $name)))
 *         (i32.const 0x100) (i32.const 0x7ff) (global.get $base)))
 *     (func (export "stat") (param $start i32) (param $p i32) (param $n i32) (param $out i32) (param $follow i32) (result i32)
 *       (local $e i32) (local $i i32) (local $c i32) (local $slash i32) (local $leaf i32) (local $dirfd i32)
 *       (local $t i32) (local $ft i32) (local $M i64) (local $m i64)
 *       (if (i32.lt_s (local.get $start) (i32.const 0)) (then (return (i32.const 1))))
 *       (local.set $e (i32.add (local.get $p) (local.get $n)))
 *       (if (i32.lt_u (local.get $e) (local.get $p)) (then (return (i32.const 1))))
 *       (local.set $slash (i32.const -1))
 *       (local.set $i (local.get $p))
 *       (block $done
 *         (loop $scan
 *           (br_if $done (i32.ge_u (local.get $i) (local.get $e)))
 *           (local.set $c (i32.load8_u $g (local.get $i)))
 *           (if (i32.or (i32.eqz (local.get $c)) (i32.gt_u (local.get $c) (i32.const 0x7f))) (then (return (i32.const 1))))
 *           (if (i32.eq (local.get $c) (i32.const 0x2f))
 *             (then
 *               (if (i32.ge_s (local.get $slash) (i32.const 0)) (then (return (i32.const 1))))
 *               (local.set $slash (local.get $i))))
 *           (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *           (br $scan)))
 *       (local.set $dirfd (local.get $start))
 *       (local.set $leaf (local.get $p))
 *       (if (i32.ge_s (local.get $slash) (i32.const 0))
 *         (then
 *           (if (i32.ne (local.get $start) (global.get $parent)) (then (return (i32.const 1))))
 *           (if (i32.ne (i32.sub (local.get $slash) (local.get $p)) (global.get $len)) (then (return (i32.const 1))))
 *           (local.set $i (i32.const 0))
 *           (block $same
 *             (loop $cmp
 *               (br_if $same (i32.ge_u (local.get $i) (global.get $len)))
 *               (if (i32.ne (i32.load8_u $g (i32.add (local.get $p) (local.get $i))) (i32.load8_u $s offset=8192 (local.get $i)))
 *                 (then (return (i32.const 1))))
 *               (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *               (br $cmp)))
 *           (if (i32.lt_s (call $at (local.get $start) (i32.const 8192)) (i32.const 0)) (then (return (i32.const 1))))
 *           (if (i32.ne (i32.and (i32.load16_u $s (i32.const 28)) (i32.const 0xf000)) (i32.const 0x4000)) (then (return (i32.const 1))))
 *           (if (i64.ne (i64.load $s (i32.const 32)) (global.get $ino)) (then (return (i32.const 1))))
 *           (local.set $M (i64.load32_u $s (i32.const 136)))
 *           (local.set $m (i64.load32_u $s (i32.const 140)))
 *           (if (i64.ne (global.get $dev)
 *                 (i64.or (i64.or
 *                   (i64.shl (i64.and (local.get $M) (i64.const 0xfffff000)) (i64.const 32))
 *                   (i64.shl (i64.and (local.get $M) (i64.const 0xfff)) (i64.const 8)))
 *                 (i64.or
 *                   (i64.shl (i64.and (local.get $m) (i64.const 0xffffff00)) (i64.const 12))
 *                   (i64.and (local.get $m) (i64.const 0xff)))))
 *             (then (return (i32.const 1))))
 *           (local.set $dirfd (global.get $fd))
 *           (local.set $leaf (i32.add (local.get $slash) (i32.const 1)))))
 *       (if (call $odd (local.get $leaf) (local.get $e)) (then (return (i32.const 1))))
 *       (memory.copy $s $g (i32.const 256) (local.get $leaf) (i32.sub (local.get $e) (local.get $leaf)))
 *       (i32.store8 $s offset=256 (i32.sub (local.get $e) (local.get $leaf)) (i32.const 0))
 *       (if (i32.lt_s (call $at (local.get $dirfd) (i32.const 256)) (i32.const 0)) (then (return (i32.const 1))))
 *       (local.set $t (i32.and (i32.load16_u $s (i32.const 28)) (i32.const 0xf000)))
 *       (local.set $ft (i32.const 0))
 *       (if (i32.eq (local.get $t) (i32.const 0x8000)) (then (local.set $ft (i32.const 4))))
 *       (if (i32.eq (local.get $t) (i32.const 0x4000)) (then (local.set $ft (i32.const 3))))
 *       (if (i32.eq (local.get $t) (i32.const 0xa000))
 *         (then
 *           (if (local.get $follow) (then (return (i32.const 1))))
 *           (local.set $ft (i32.const 7))))
 *       (if (i32.eq (local.get $t) (i32.const 0x2000)) (then (local.set $ft (i32.const 2))))
 *       (if (i32.eq (local.get $t) (i32.const 0x6000)) (then (local.set $ft (i32.const 1))))
 *       (if (i32.eq (local.get $t) (i32.const 0xc000)) (then (local.set $ft (i32.const 6))))
 *       (call $put (local.get $out) (local.get $ft))
 *       (i32.const 0)))
 */
const HEX =
  '0061736d01000000011e0460057f7c7f7f7c017f60027f7f0060027f7f017f60057f7f7f7f7f017f0222040168057374' +
  '617478000001680370757400010167016d0200000173016d020101010304030202030626067c01440000000000000000' +
  '0b7f01417f0b7f01417f0b7f0141000b7e0142000b7e0142000b072f070462617365030006706172656e740301026664' +
  '0302036c656e030303646576030403696e6f0305047374617400040ac004032c01017f200120006b2102200245200241' +
  '024d20002d0000412e46200241014620002d0001412e46727171720b1400200023002001b8a041800241ff0f23001000' +
  '0bfb0302087f027e2000410048044041010f0b200120026a21052005200149044041010f0b417f210820012106024003' +
  '40200620054f0d0120062d00002107200745200741ff004b72044041010f0b2007412f460440200841004e044041010f' +
  '0b200621080b200641016a21060c000b000b2000210a20012109200841004e04402000230147044041010f0b20082001' +
  '6b230347044041010f0b4100210602400340200623034f0d01200120066a2d000020062d4001804047044041010f0b20' +
  '0641016a21060c000b000b20004180c0001003410048044041010f0b411c2f4101004180e00371418080014704404101' +
  '0f0b412029430100230552044041010f0b41880135420100210d418c0135420100210e2304200d4280e0ffff0f834220' +
  '86200d42ff1f8342088684200e4280feffff0f83420c86200e42ff0183848452044041010f0b2302210a200841016a21' +
  '090b200920051002044041010f0b4180022009200520096bfc0a0100200520096b41003a40018002200a418002100341' +
  '0048044041010f0b411c2f4101004180e00371210b4100210c200b418080024604404104210c0b200b41808001460440' +
  '4103210c0b200b4180c0024604402004044041010f0b4107210c0b200b4180c0004604404102210c0b200b4180c00146' +
  '04404101210c0b200b418080034604404106210c0b2003200c100141000b';

/** Where the folder's name is kept in the stat page, and the longest name kept there. */
const FOLDER_NAME = 8192;
const FOLDER_NAME_MAX = 4095;

/** The module, or null where this V8 cannot compile it: the caller keeps JavaScript. */
const module = wasmModuleOnce(HEX);

/** The C library's `statx(dirfd, name address, flags, mask, buffer address)`, as koffi binds it. */
export type Statx = (dirFd: number, name: number, flags: number, mask: number, buf: number) => number;

/** A walk in wasm over one guest memory. */
export interface PlainStatter {
  /** See the module's text: true when it wrote the filestat at `out`, false when it declined. */
  stat(startFd: number, p: number, len: number, out: number, follow: boolean): boolean;
  /**
   * The folder "folder/name" may step through: `name` of host descriptor `parentFd`, held open as
   * `fd`, directory `ino` on device `dev`; `parentFd` -1 (or a name it cannot keep) forgets it.
   */
  keep(parentFd: number, name: string, fd: number, dev: bigint, ino: bigint): void;
}

interface Exports {
  stat(start: number, p: number, n: number, out: number, follow: number): number;
  parent: WebAssembly.Global;
  fd: WebAssembly.Global;
  len: WebAssembly.Global;
  dev: WebAssembly.Global;
  ino: WebAssembly.Global;
  base: WebAssembly.Global;
}

/**
 * A statter over `guest` and the stat page `stat` (at address `base`), or undefined when it cannot
 * be made (no multi-memory or bulk memory, or a guest memory the import does not match, e.g. a
 * shared one). Nothing is kept until `keep`: "folder/name" declines until then.
 */
export function plainStatter(
  guest: WebAssembly.Memory, stat: WebAssembly.Memory, base: number, statx: Statx, put: (out: number, filetype: number) => void,
): PlainStatter | undefined {
  const m = module();
  if (m === null) return undefined;
  let x: Exports;
  try {
    x = new WebAssembly.Instance(m, { g: { m: guest }, s: { m: stat }, h: { statx, put } }).exports as unknown as Exports;
  } catch {
    return undefined;
  }
  x.base.value = base;
  const page = new Uint8Array(stat.buffer);
  const call = x.stat;
  return {
    stat: (startFd, p, len, out, follow) => call(startFd, p, len, out, follow ? 1 : 0) === 0,
    keep(parentFd, name, fd, dev, ino) {
      x.parent.value = -1;
      const n = name.length;
      if (parentFd < 0 || n === 0 || n > FOLDER_NAME_MAX) return;
      for (let i = 0; i < n; i++) {
        const c = name.charCodeAt(i);
        if (c === 0 || c > 0x7f) return;
        page[FOLDER_NAME + i] = c;
      }
      page[FOLDER_NAME + n] = 0;
      x.len.value = n;
      x.fd.value = fd;
      x.dev.value = BigInt.asIntN(64, dev);
      x.ino.value = BigInt.asIntN(64, ino);
      x.parent.value = parentFd;
    },
  };
}
