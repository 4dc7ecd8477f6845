/**
 * The WASI 0.2 host as a thin layer over the preview1 host (DESIGN §3.2): every 0.2 call that
 * reaches files, stdio or the clock is made as the matching preview1 call, on a private scratch
 * memory the guest never sees. So the one resolver, the grants, read-only rules, ask mode, audit,
 * limits and stdio rings of the preview1 runtime are the 0.2 host's too, by construction.
 */
import type { Provider } from '../context.ts';
import type { GuestMemory } from '../memory.ts';

/** Bytes moved by one preview1 call at most; a 0.2 read or write of more is split or shortened. */
export const CHUNK = 1 << 20;
/** Where call results (out-parameters) go. */
const OUT = 0;
/** Where paths and iovecs go (paths are capped at 4096 bytes by the preview1 host). */
const ARGS = 64;
/** Where data goes. */
export const DATA = 65536;
const PAGES = Math.ceil((DATA + CHUNK) / 65536) + 1;

/** A preview1 errno from a call the 0.2 host made. */
export class P1Error extends Error {
  readonly errno: number;
  constructor(errno: number, call: string) {
    super(`${call}: errno ${errno}`);
    this.errno = errno;
  }
}

/** The scratch memory and the wrapped preview1 functions that use it. */
export class Scratch {
  readonly memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
  private readonly p1: Provider;
  private readonly mem: () => GuestMemory;

  /** `p1`: the wrapped preview1 functions of a context whose memory is `mem()` (this scratch). */
  constructor(p1: Provider, mem: () => GuestMemory) {
    this.p1 = p1;
    this.mem = mem;
  }

  /** preview1 calls made so far: a result remembered at one count is current while it holds. */
  calls = 0;

  get m(): GuestMemory {
    return this.mem();
  }

  /** Calls preview1 function `name`; throws P1Error for an errno other than success. */
  call(name: string, ...args: (number | bigint)[]): void {
    this.calls++;
    const errno = (this.p1 as Record<string, (...a: (number | bigint)[]) => number>)[name]!(...args);
    if (errno !== 0) throw new P1Error(errno, name);
  }

  /** Writes `s` (UTF-8) at ARGS; returns [ptr, len]. */
  path(s: string): [number, number] {
    return [ARGS, this.put(s, ARGS, DATA - ARGS - 64)];
  }

  /** Second path, placed after the first one's room. */
  path2(s: string): [number, number] {
    const at = ARGS + 8192;
    return [at, this.put(s, at, DATA - at)];
  }

  /**
   * A Buffer over the scratch memory (which never grows, so it never detaches): paths are encoded
   * straight into it, no Buffer made per path.
   */
  private readonly chars = Buffer.from(this.memory.buffer);

  /**
   * Encodes `s` as UTF-8 (a lone surrogate as U+FFFD, as Buffer.from does) at `at`; `nametoolong`
   * past `room` bytes. UTF-8 takes at most 3 bytes per UTF-16 unit, so only a long string is
   * measured first.
   */
  private put(s: string, at: number, room: number): number {
    if (s.length * 3 > room && Buffer.byteLength(s, 'utf8') > room) throw new P1Error(37 /* nametoolong */, 'path');
    return this.chars.write(s, at, room, 'utf8');
  }

  /** One iovec at ARGS for [DATA, DATA+len). */
  iovec(len: number): number {
    this.m.setU32(ARGS, DATA);
    this.m.setU32(ARGS + 4, len);
    return ARGS;
  }

  /** The out slot `i` (8 bytes each). */
  out(i = 0): number {
    return OUT + 8 * i;
  }

  /** A copy of scratch data [DATA, DATA+len). */
  data(len: number): Uint8Array {
    return this.view(len).slice();
  }

  /** Scratch data [DATA, DATA+len) itself, good until the next call (len ≤ CHUNK). */
  view(len: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, DATA, len);
  }
}
