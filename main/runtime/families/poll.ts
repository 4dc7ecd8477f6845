/**
 * `poll_oneoff`: waits for clock timeouts and descriptor readiness. Files and output streams are
 * always ready; stdin is ready when the ring has data or has ended. The worker sleeps with
 * `Atomics.wait` (on the stdin ring when stdin is watched), never by spinning.
 */
import fs from 'node:fs';
import { Errno, Eventtype, Layout, Rights, Subclockflags } from '../abi.ts';
import type { Provider, WasiContext } from '../context.ts';
import { WasiError, toWasiError } from '../errors.ts';
import { now } from './clock-random.ts';

const S = Layout.subscription;
const E = Layout.event;
/** Most subscriptions one call may pass. */
export const MAX_SUBSCRIPTIONS = 4096;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

interface Event { userdata: bigint; error: number; type: number; nbytes: bigint; flags: number }

/** The poll family. */
export function poll(ctx: WasiContext) {
  const { fds } = ctx;
  return {
    /**
     * Waits until at least one subscription fires and writes its events; returns at once when a
     * descriptor is already ready.
     */
    poll_oneoff: (inPtr: number, outPtr: number, nsubs: number, neventsPtr: number) => {
      if (nsubs === 0) throw new WasiError(Errno.inval, 'no subscriptions');
      ctx.mem.check(inPtr, (nsubs >>> 0) * S.size);
      ctx.mem.check(outPtr, (nsubs >>> 0) * E.size);
      if (nsubs >>> 0 > MAX_SUBSCRIPTIONS) throw new WasiError(Errno.inval, 'too many subscriptions');
      ctx.mem.check(neventsPtr, 4);
      const ready: Event[] = [];
      const clocks: { userdata: bigint; deadline: bigint }[] = [];
      let watchStdin: bigint[] = [];
      for (let i = 0; i < nsubs; i++) {
        const p = inPtr + i * S.size;
        const userdata = ctx.mem.u64At(p + S.userdata);
        const tag = ctx.mem.u8At(p + S.tag);
        const ev: Event = { userdata, error: 0, type: tag, nbytes: 0n, flags: 0 };
        if (tag === Eventtype.clock) {
          const id = ctx.mem.u32At(p + S.clock_id);
          const timeout = ctx.mem.u64At(p + S.clock_timeout);
          const flags = ctx.mem.u16At(p + S.clock_flags);
          try {
            const t = now(id);
            const abs = (flags & Subclockflags.subscription_clock_abstime) !== 0;
            const left = abs ? timeout - t : timeout;
            clocks.push({ userdata, deadline: process.hrtime.bigint() + (left > 0n ? left : 0n) });
          } catch (err) {
            ready.push({ ...ev, error: toWasiError(err).errno });
          }
        } else if (tag === Eventtype.fd_read || tag === Eventtype.fd_write) {
          const fd = ctx.mem.u32At(p + S.fd);
          try {
            const d = fds.get(fd, Rights.poll_fd_readwrite);
            if (d.kind === 'stdio' && d.stream === 0 && tag === Eventtype.fd_read) {
              if (ctx.stdio.waitReadable(0)) ready.push(ev);
              else watchStdin.push(userdata);
            } else if (tag === Eventtype.fd_read && d.kind === 'file') {
              const size = BigInt(fs.fstatSync(d.hostFd).size) - BigInt(d.position);
              ready.push({ ...ev, nbytes: size > 0n ? size : 0n });
            } else {
              ready.push(ev);
            }
          } catch (err) {
            ready.push({ ...ev, error: toWasiError(err).errno });
          }
        } else {
          throw new WasiError(Errno.inval, `bad subscription tag ${tag}`);
        }
      }
      if (ready.length === 0) {
        let wait = Infinity;
        const start = process.hrtime.bigint();
        for (const c of clocks) wait = Math.min(wait, Number(c.deadline - start) / 1e6);
        if (watchStdin.length > 0) {
          if (ctx.stdio.waitReadable(wait)) {
            for (const u of watchStdin) ready.push({ userdata: u, error: 0, type: Eventtype.fd_read, nbytes: 1n, flags: 0 });
            watchStdin = [];
          }
        } else if (wait > 0 && wait !== Infinity) {
          Atomics.wait(sleeper, 0, 0, wait);
        } else if (wait === Infinity) {
          throw new WasiError(Errno.inval, 'nothing to wait for');
        }
        const t = process.hrtime.bigint();
        for (const c of clocks) if (c.deadline <= t) ready.push({ userdata: c.userdata, error: 0, type: Eventtype.clock, nbytes: 0n, flags: 0 });
      }
      ready.forEach((ev, i) => {
        const p = outPtr + i * E.size;
        ctx.mem.zero(p, E.size);
        ctx.mem.setU64(p + E.userdata, ev.userdata);
        ctx.mem.setU16(p + E.error, ev.error);
        ctx.mem.setU8(p + E.type, ev.type);
        ctx.mem.setU64(p + E.nbytes, ev.nbytes);
        ctx.mem.setU16(p + E.flags, ev.flags);
      });
      ctx.mem.setU32(neventsPtr, ready.length);
      return 0;
    },
  } satisfies Provider;
}
