/**
 * Seeded generator of fuzz scripts for test/fixtures/fuzz_interp.c: random sequences of all 46
 * preview1 calls with hostile arguments (pointers at and past the end of memory, huge lengths and
 * counts, random rights, flags, whences and cookies, paths with `..`, symlinks, NUL and control
 * characters, descriptors that are closed or renumbered). The same seed gives the same script.
 */
import { RIGHTS_ALL, RIGHTS_DIR_MUTATE, RIGHTS_FILE_MUTATE } from '../../main/runtime/abi.ts';
import { FUNCTIONS, type Role, functionIndex } from './functions.ts';
import { type Arg, ScriptWriter } from './script-writer.ts';

/** Layout shared with the interpreter. */
export const SCRATCH_SIZE = 2 * 65536;
export const OUT_SIZE = 4096;
const INPUT_LIMIT = SCRATCH_SIZE - OUT_SIZE;

/** How to draw the calls. */
export interface GenOptions {
  /** Calls in the script (the END marker and an optional proc_exit come after them). */
  calls: number;
  /** The outside canary (the interpreter gets it XOR 0xA5). */
  canary: string;
  /** Absolute host paths worth trying as symlink targets (the outside tree's files). */
  hostPaths: string[];
  /** More path names to try (the overlap run's nested grant); none by default. */
  names?: string[];
  /** fd 5 is a third grant: aim at it like at 3 and 4, and never close it. */
  extraDir?: boolean;
  /** Whether calls may use fds 0-2 (off for the differential run: stdio differs by design). */
  stdio: boolean;
  /** Whether the script may end with proc_exit. */
  exit: boolean;
  /**
   * Only values the ABI defines for flags, enums and random_get's size (Wasmtime traps on the
   * others instead of answering an errno, which would end the differential comparison).
   */
  strict?: boolean;
}

/** mulberry32: small, fast, and the same on every platform. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(n: number): number {
    return this.u32() % n;
  }
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
}

const enc = new TextEncoder();
/** The highest value of each flags type (all defined bits set). */
const FLAG_LIMIT: Record<string, number> = { lookupflags: 1, oflags: 15, fdflags: 31, fstflags: 15, riflags: 3, siflags: 0, sdflags: 3 };
const U64_EDGES = [0n, 1n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n,
  2n ** 62n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n - 4096n];
const U32_EDGES = [0, 1, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];
/** Every right a file or directory can hold (all but the socket ones). */
const ALL_RIGHTS = 0x0fffffffn;
/** Everything but fd_write, fd_allocate and fd_filestat_set_size: what a read-only open asks. */
const READ_RIGHTS = ALL_RIGHTS & ~0x400140n;
/** What a read-only grant's directories pass on: nothing that changes a file or a folder. */
const RO_RIGHTS = BigInt(RIGHTS_ALL & ~RIGHTS_DIR_MUTATE & ~RIGHTS_FILE_MUTATE);
const RIGHTS = [ALL_RIGHTS, ALL_RIGHTS, ALL_RIGHTS, READ_RIGHTS, READ_RIGHTS, READ_RIGHTS, 0n, 2n ** 64n - 1n,
  0x3fffffffn, 0x2n, 0x40n, 0x4n | 0x2n, 0x2000n, 0x8000n | 0x4000n, 0x400000n];

/** Path names the generator combines; the trees in tree.ts hold the named entries. */
const NAMES = ['f', 'd', 'd/g', 'f', 'd', 'd/g', 'new', 'new2', 'nd', 'nd/x', 'link_in', 'link_dir', 'link_out', 'link_abs',
  'link_up', 'link_loop', 'link_dotdot', '.', '..', '', 'd/..', 'd/../..', '../outside', '../outside/canary.txt',
  '../ro/f', '../rw/f', 'link_dir/../..', 'link_up/outside/canary.txt', 'link_out/x', 'f/', 'd/', 'd/.', './f',
  'a\0b', 'f\0', '\x01\x1b[2J', 'CON', 'nul.txt', 'a:b', '\\..\\outside', '//', '/etc/passwd', '/',
  'link_dotdot/canary.txt', 'nd/../../ro/f', 'link_made', 'link_made/canary.txt'];

/** A generated script: bytes for the interpreter's stdin, and the exit code it ends with. */
export interface Script {
  bytes: Uint8Array;
  calls: number;
  /** The proc_exit code the script ends with; 0 when it returns from main. */
  exitCode: number;
}

/** One script from `seed`. */
export function generateScript(seed: number, opts: GenOptions): Script {
  const g = new Generator(new Rng(seed), opts);
  const bytes = g.script();
  return { bytes, calls: opts.calls, exitCode: g.exitCode };
}

class Generator {
  private readonly w: ScriptWriter;
  private inputTop = 0;
  exitCode = 0;

  private readonly rng: Rng;
  private readonly opts: GenOptions;

  constructor(rng: Rng, opts: GenOptions) {
    this.rng = rng;
    this.opts = opts;
    this.w = new ScriptWriter(opts.canary);
  }

  script(): Uint8Array {
    const weights = FUNCTIONS.map((fn): number =>
      fn.name === 'proc_exit' || (this.opts.strict && /^fd_(fdstat_set_(rights|flags)|allocate)$/.test(fn.name)) ? 0 : fn.name === 'path_open' ? 8 : /^(fd_(p?read|p?write|readdir|seek)|path_)/.test(fn.name) ? 3 : 1,
    );
    const total = weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < this.opts.calls; i++) {
      let r = this.rng.int(total);
      let fn = 0;
      while (r >= weights[fn]!) r -= weights[fn++]!;
      this.call(fn);
    }
    this.w.end();
    if (this.opts.exit && this.rng.chance(0.3)) this.call(functionIndex('proc_exit'));
    return this.w.bytesOut();
  }

  private call(fn: number): void {
    this.inputTop = 0;
    const roles = FUNCTIONS[fn]!.args;
    const args: Arg[] = [];
    let pendingCount: number | undefined;
    for (let i = 0; i < roles.length; i++) {
      const role = roles[i]!;
      if (role === 'path' || role === 'buf') {
        const [ptr, len] = role === 'path' ? this.path() : this.buffer();
        args.push(ptr, [0, BigInt(len)]);
        i++; // its 'len'
      } else if (role === 'iovs' || role === 'ciovs') {
        const [ptr, n] = this.iovecs(role === 'ciovs');
        args.push(ptr, [0, BigInt(n)]);
        i++; // its 'count'
      } else if (role === 'subs') {
        const [ptr, n] = this.subscriptions();
        args.push(ptr);
        pendingCount = n;
      } else if (role === 'count' && pendingCount !== undefined) {
        args.push([0, BigInt(pendingCount)]);
      } else {
        args.push(this.scalar(role));
      }
    }
    const name = FUNCTIONS[fn]!.name;
    if (name === 'proc_exit') this.exitCode = Number(args[0]![1]);
    if (name === 'random_get' && this.opts.strict && args[1]![1] > 65536n) args[1] = [0, 65536n];
    // Half of the opens are ones a real program makes, so that scripts hold descriptors to abuse.
    if (name === 'path_open' && this.rng.chance(0.5)) {
      const dir = this.rng.chance(0.7) ? 3 : this.rng.chance(0.5) ? 4 : 5 + this.rng.int(6);
      const rights = dir === 4 || this.rng.chance(0.4) ? READ_RIGHTS : ALL_RIGHTS;
      args[0] = [0, BigInt(dir)];
      args[4] = [0, BigInt(this.rng.pick([0, 0, 1, 2, 9]))];
      args[5] = [0, rights];
      args[6] = [0, rights];
      args[8] = [2, BigInt(OUT_SIZE - 8 * this.rng.int(64))];
    }
    if (name === 'path_open' && this.opts.strict) {
      // Wasmtime refuses the sync flags with `notsup` (Terrarium honours them), makes pwrite
      // append under `append` (Linux's pwrite bug; Terrarium writes where asked, as POSIX says)
      // and ignores rights (Terrarium refuses rights a read-only grant cannot give): see AVOIDED.
      args[7] = [0, args[7]![1] & 4n];
      if (args[0]![1] !== 3n) args[5] = args[6] = [0, RO_RIGHTS & args[5]![1]];
    }
    this.w.call(fn, args);
  }

  /**
   * Places bytes in the input area and returns their scratch offset; `iovecs` has the
   * interpreter turn the first u32 of every 8 bytes from a scratch offset into an address.
   */
  private place(data: Uint8Array, iovecs = false): number {
    const off = this.inputTop;
    const n = Math.min(data.length, INPUT_LIMIT - off);
    this.w.write(off, data.subarray(0, n), iovecs);
    this.inputTop = Math.min(INPUT_LIMIT, off + n + 8 - (n % 8));
    return off;
  }

  /** A pointer into the output area (or at/past its end), as [kind, value]. */
  private outPtr(): Arg {
    const r = this.rng;
    // Wasmtime traps on a pointer out of bounds or misaligned (Terrarium answers `fault`).
    if (this.opts.strict) return [2, BigInt(OUT_SIZE - 8 * r.int(OUT_SIZE / 8 - 16))];
    const roll = r.int(20);
    if (roll < 14) return [2, BigInt(OUT_SIZE - 8 * r.int(OUT_SIZE / 16))];
    if (roll < 16) return [2, BigInt(r.int(9))]; // straddles or sits at the end of memory
    if (roll < 17) return [2, BigInt(OUT_SIZE - 1 - 8 * r.int(64))]; // unaligned
    return [0, BigInt(r.pick(U32_EDGES))];
  }

  private buffer(): [Arg, number] {
    const r = this.rng;
    const ptr = this.outPtr();
    const room = ptr[0] === 2 ? Number(ptr[1]) : 0;
    const roll = r.int(10);
    const len = roll < 7 || this.opts.strict ? r.int(room + 1) : roll < 8 ? room + 1 + r.int(64) : r.pick(U32_EDGES);
    return [ptr, len];
  }

  private iovecs(write: boolean): [Arg, number] {
    const r = this.rng;
    // Strict: one iovec at most, since Wasmtime moves only the first non-empty one per call.
    const n = this.opts.strict ? r.int(2) : r.chance(0.9) ? r.int(5) : r.pick([1024, 1025, 4096, 0x10000, 0xffffffff]);
    const listed = Math.min(n, 8);
    const data = new DataView(new ArrayBuffer(listed * 8));
    // Data to write sits in the input area, above the iovec list itself.
    const payload = write ? this.place(this.randomBytes(r.int(512) + 1)) : 0;
    for (let i = 0; i < listed; i++) {
      let base: number;
      let len: number;
      const roll = this.opts.strict ? 12 : r.int(12);
      if (write) {
        base = payload + r.int(256);
        len = r.int(256);
      } else {
        const off = 8 * r.int(OUT_SIZE / 16);
        base = SCRATCH_SIZE - OUT_SIZE + off;
        len = r.int(OUT_SIZE - off + 1);
      }
      if (roll === 0) len = r.pick([0x80000000, 0xffffffff, 0x7fffffff, SCRATCH_SIZE]);
      if (roll === 1) base = SCRATCH_SIZE - r.int(8); // straddles the end (scratch-relative, fixed up below)
      if (roll === 2) base = 0xffffffff; // absolute, far past the end
      data.setUint32(i * 8, base, true);
      data.setUint32(i * 8 + 4, len, true);
    }
    // Bases are scratch offsets; the interpreter relocates them (all but 0xffffffff, past the end).
    const off = this.place(new Uint8Array(data.buffer), true);
    const roll = this.opts.strict ? 20 : r.int(20);
    if (roll === 0) return [[2, BigInt(r.int(8))], n]; // the list itself straddles the end
    if (roll === 1) return [[0, BigInt(r.pick(U32_EDGES))], n];
    return [[1, BigInt(off)], n];
  }

  private subscriptions(): [Arg, number] {
    const r = this.rng;
    const n = r.chance(0.9) || this.opts.strict ? r.int(4) : r.pick([0, 4096, 0xffffffff]);
    const listed = Math.min(n, 6);
    const d = new DataView(new ArrayBuffer(listed * 48));
    for (let i = 0; i < listed; i++) {
      const o = i * 48;
      d.setBigUint64(o, r.u64(), true);
      const tag = this.opts.strict || r.chance(0.9) ? r.int(3) : r.int(256);
      d.setUint8(o + 8, tag);
      if (tag === 0) {
        d.setUint32(o + 16, this.opts.strict ? r.int(2) : r.chance(0.9) ? r.int(4) : r.u32(), true);
        const abs = r.chance(0.3);
        d.setBigUint64(o + 24, abs ? BigInt(r.int(1000)) : BigInt(r.int(2_000_000)), true);
        d.setBigUint64(o + 32, r.u64(), true);
        d.setUint16(o + 40, abs ? 1 : this.opts.strict || r.chance(0.9) ? 0 : r.int(0x10000) & ~1, true);
      } else {
        d.setUint32(o + 16, this.fdValue(true), true);
      }
    }
    const off = this.place(new Uint8Array(d.buffer));
    if (!this.opts.strict && r.chance(0.05)) return [[2, BigInt(r.int(48))], n];
    return [[1, BigInt(off)], n];
  }

  private path(): [Arg, number] {
    const r = this.rng;
    let s: Uint8Array;
    const roll = r.int(20);
    if (this.opts.names && r.chance(0.3)) s = enc.encode(r.pick(this.opts.names));
    else if (roll < 12) s = enc.encode(r.pick(NAMES));
    else if (roll < 15) s = enc.encode(`${r.pick(NAMES)}/${r.pick(NAMES)}`);
    else if (roll < 16) s = enc.encode(r.pick(this.opts.hostPaths.length ? this.opts.hostPaths : NAMES));
    else if (roll < 17) s = enc.encode('../'.repeat(1 + r.int(40)) + r.pick(NAMES));
    else if (roll < 18) s = enc.encode('a/'.repeat(r.int(3000)));
    else if (roll < 19) s = Uint8Array.from([0xff, 0xfe, 0x2f, 0xc0, 0xaf]);
    else s = enc.encode('x'.repeat(r.int(5000)));
    const off = this.place(s);
    const lroll = this.opts.strict ? 0 : r.int(20);
    const len = lroll < 17 ? s.length : lroll < 18 ? s.length + 1 + r.int(100) : r.pick(U32_EDGES);
    const proll = this.opts.strict ? 2 : r.int(30);
    if (proll === 0) return [[2, BigInt(r.int(8))], len];
    if (proll === 1) return [[0, BigInt(r.pick(U32_EDGES))], len];
    return [[1, BigInt(off)], len];
  }

  /**
   * A descriptor: mostly the grants (3, 4) and what the script opened (5-10); `keep` is for
   * calls that close, renumber or cut rights, which hit the read-only grant rarely and the
   * read-write one never (a script that loses it early tests little) and never stdout (the
   * results go there).
   */
  private fdValue(keep: boolean): number {
    const r = this.rng;
    const roll = r.int(20);
    let fd: number;
    const firstFree = this.opts.extraDir ? 6 : 5;
    if (roll < 10) fd = !keep ? 3 + r.int(this.opts.extraDir ? 3 : 2) : this.opts.strict || r.chance(0.99) ? firstFree + r.int(6) : 4;
    else if (roll < 16) fd = (keep ? firstFree : 5) + r.int(6);
    else if (roll < 18) fd = r.int(3);
    else fd = r.pick([11, 12, 20, 1023, 1024, 0x7fffffff, 0xffffffff]);
    if (!this.opts.stdio && fd < 3) fd = keep ? firstFree + r.int(6) : 3 + r.int(2);
    if (keep && fd === 1) fd = 2;
    return fd;
  }

  private scalar(role: Role): Arg {
    const r = this.rng;
    const small = (): bigint => BigInt(r.int(4096));
    switch (role) {
      case 'fd': return [0, BigInt(this.fdValue(false))];
      case 'fdKeep': return [0, BigInt(this.fdValue(true))];
      case 'out': return this.outPtr();
      case 'rights':
        if (this.opts.strict) return [0, r.pick(RIGHTS.filter((x) => x < 2n ** 30n))];
        return [0, r.chance(0.9) ? r.pick(RIGHTS) : r.u64()];
      case 'lookupflags': case 'oflags': case 'fdflags': case 'fstflags': case 'riflags': case 'siflags': case 'sdflags':
        return [0, BigInt(this.opts.strict || r.chance(0.9) ? r.int(FLAG_LIMIT[role]! + 1) : r.chance(0.5) ? r.int(0x10000) : r.u32())];
      case 'u64': return [0, r.chance(0.6) ? small() : r.pick(U64_EDGES)];
      case 'cookie': return [0, r.chance(0.6) ? BigInt(r.int(8)) : r.pick(U64_EDGES)];
      case 'whence': return [0, BigInt(this.opts.strict || r.chance(0.85) ? r.int(3) : r.pick([3, 255, 0xffffffff]))];
      case 'advice': return [0, BigInt(this.opts.strict || r.chance(0.85) ? r.int(6) : r.u32())];
      // Strict: Wasmtime has no CPU-time clocks (2, 3); Terrarium has (README, differential table).
      case 'clock': return [0, BigInt(this.opts.strict ? r.int(2) : r.chance(0.85) ? r.int(4) : r.u32())];
      case 'signal': return [0, BigInt(r.int(31))];
      case 'exitCode': return [0, BigInt(r.chance(0.8) ? r.int(126) : r.u32())];
      default: return [0, BigInt(r.pick(U32_EDGES))];
    }
  }

  private randomBytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = 0x20 + this.rng.int(95);
    return b;
  }
}
