/** Clocks and randomness: `clock_res_get`, `clock_time_get`, `random_get`. */
import { Clockid, Errno } from '../abi.ts';
import type { Provider, WasiContext } from '../context.ts';
import { WasiError } from '../errors.ts';

const RANDOM_CHUNK = 65536;
const origin = process.hrtime.bigint();
const realtimeAtOrigin = BigInt(Date.now()) * 1_000_000n;

/** Nanoseconds on clock `id`; `inval` for an unknown clock. */
export function now(id: number): bigint {
  switch (id) {
    case Clockid.monotonic:
      return process.hrtime.bigint();
    case Clockid.realtime:
      return realtimeAtOrigin + (process.hrtime.bigint() - origin);
    case Clockid.process_cputime_id:
    case Clockid.thread_cputime_id: {
      const u = process.cpuUsage();
      return BigInt(u.user + u.system) * 1000n;
    }
    default:
      throw new WasiError(Errno.inval, `unknown clock ${id}`);
  }
}

function resolution(id: number): bigint {
  switch (id) {
    case Clockid.realtime:
    case Clockid.monotonic:
      return 1n;
    case Clockid.process_cputime_id:
    case Clockid.thread_cputime_id:
      return 1000n;
    default:
      throw new WasiError(Errno.inval, `unknown clock ${id}`);
  }
}

/**
 * `clock_time_get` without the precision argument (a hint, ignored): writes the time of clock
 * `id` in nanoseconds at `out`. host.ts imports it through clock-shim.ts, so no BigInt is made
 * for the argument on each call.
 */
export function clockTimeGet(ctx: WasiContext): (id: number, out: number) => number {
  return (id, out) => {
    // The monotonic clock read inline and the value stored directly: the hottest call many
    // programs make stays one small function for V8 to optimise (issue 14.3).
    const t = id === Clockid.monotonic ? process.hrtime.bigint() : now(id);
    const mem = ctx.mem;
    mem.check(out, 8);
    mem.view.setBigUint64(out >>> 0, t, true);
    return 0;
  };
}

/** `node:crypto`, loaded at the first `random_get` (most runs never call it: start-up stays lighter). */
let crypto: typeof import('node:crypto') | undefined;

/** The clock and random family. */
export function clockRandom(ctx: WasiContext) {
  const timeGet = clockTimeGet(ctx);
  return {
    /** Writes the resolution of clock `id` in nanoseconds. */
    clock_res_get: (id: number, out: number) => {
      ctx.mem.setU64(out, resolution(id));
      return 0;
    },
    /** Writes the current time of clock `id` in nanoseconds (precision is a hint, ignored). */
    clock_time_get: (id: number, _precision: bigint, out: number) => timeGet(id, out),
    /** Fills [buf, buf+len) with cryptographically secure random bytes, in bounded chunks. */
    random_get: (buf: number, len: number) => {
      const dst = ctx.mem.bytes(buf, len);
      crypto ??= process.getBuiltinModule('node:crypto');
      for (let off = 0; off < dst.length; off += RANDOM_CHUNK) {
        crypto.randomFillSync(dst.subarray(off, Math.min(dst.length, off + RANDOM_CHUNK)));
      }
      return 0;
    },
  } satisfies Provider;
}
