import { Errno, Fstflags } from './abi.ts';
import { WasiError } from './errors.ts';
import type { TimeSpec } from './host-calls/index.ts';

/**
 * The (atime, mtime) pair that `fstflags` asks for, as the host calls take them: exact
 * nanoseconds, "now", or "omit" (keep). `inval` when a time is both given and "now".
 */
export function timeSpecs(atim: bigint, mtim: bigint, fstflags: number): [TimeSpec, TimeSpec] {
  const F = Fstflags;
  if (fstflags & ~(F.atim | F.atim_now | F.mtim | F.mtim_now)) throw new WasiError(Errno.inval, 'bad fstflags');
  if ((fstflags & F.atim) && (fstflags & F.atim_now)) throw new WasiError(Errno.inval, 'atim and atim_now');
  if ((fstflags & F.mtim) && (fstflags & F.mtim_now)) throw new WasiError(Errno.inval, 'mtim and mtim_now');
  const pick = (set: number, setNow: number, value: bigint): TimeSpec =>
    fstflags & set ? value : fstflags & setNow ? 'now' : 'omit';
  return [pick(F.atim, F.atim_now, atim), pick(F.mtim, F.mtim_now, mtim)];
}
