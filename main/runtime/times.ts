import { Errno, Fstflags } from './abi.ts';
import { WasiError } from './errors.ts';

/**
 * The (atime, mtime) pair, in seconds as Node's utimes wants them, that `fstflags` asks for;
 * `current` supplies the times to keep. `inval` when a time is both given and "now".
 */
export function timesFor(
  atim: bigint, mtim: bigint, fstflags: number, current: () => { atimeNs: bigint; mtimeNs: bigint },
): [number, number] {
  const F = Fstflags;
  if (fstflags & ~(F.atim | F.atim_now | F.mtim | F.mtim_now)) throw new WasiError(Errno.inval, 'bad fstflags');
  if ((fstflags & F.atim) && (fstflags & F.atim_now)) throw new WasiError(Errno.inval, 'atim and atim_now');
  if ((fstflags & F.mtim) && (fstflags & F.mtim_now)) throw new WasiError(Errno.inval, 'mtim and mtim_now');
  const nowS = Date.now() / 1000;
  const keep = (fstflags & (F.atim | F.atim_now)) === 0 || (fstflags & (F.mtim | F.mtim_now)) === 0 ? current() : null;
  const pick = (set: number, setNow: number, value: bigint, kept: bigint | undefined): number => {
    if (fstflags & set) return nsToSeconds(value);
    if (fstflags & setNow) return nowS;
    return nsToSeconds(kept!);
  };
  return [
    pick(F.atim, F.atim_now, atim, keep?.atimeNs),
    pick(F.mtim, F.mtim_now, mtim, keep?.mtimeNs),
  ];
}

function nsToSeconds(ns: bigint): number {
  return Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;
}
