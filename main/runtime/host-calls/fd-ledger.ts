import fs from 'node:fs';

/** Descriptors below this number are covered by a run's shared ledger (higher ones are rare). */
export const LEDGER_SLOTS = 4096;

/**
 * The descriptors the native host calls opened and have not closed yet. Node only knows (and
 * closes when a worker is terminated) the descriptors its own `fs` opened, and warns when one it
 * did not open is closed through `fs.closeSync`; so native descriptors are closed natively, and
 * marked in a shared ledger (one int32 per descriptor number, 1 = open) that the thread which
 * started the worker empties after the worker has exited (`closeLeftovers`), in case it was
 * terminated mid-run. Plain stores suffice: that thread reads only after the worker has ended.
 */
export class FdLedger {
  private readonly low = new Uint8Array(LEDGER_SLOTS);
  private readonly high = new Set<number>();
  private shared: Int32Array | undefined;
  /** One past the highest low descriptor ever added (`attach` copies below it only). */
  private top = 0;

  /** Records `fd` as opened natively. */
  add(fd: number): void {
    if (fd >= LEDGER_SLOTS) {
      this.high.add(fd); // not covered if the worker is terminated
      return;
    }
    this.low[fd] = 1;
    if (fd >= this.top) this.top = fd + 1;
    if (this.shared !== undefined) this.shared[fd] = 1;
  }

  /** True (and forgets it) when `fd` was opened natively. */
  take(fd: number): boolean {
    if (fd >= LEDGER_SLOTS) return this.high.delete(fd);
    if (fd < 0 || this.low[fd] === 0) return false;
    this.low[fd] = 0;
    if (this.shared !== undefined) this.shared[fd] = 0;
    return true;
  }

  /** Starts marking in `shared` (LEDGER_SLOTS int32s), with what is open now. */
  attach(shared: Int32Array): void {
    this.shared = shared;
    // Not all LEDGER_SLOTS: a loop that long is compiled by TurboFan mid-run, at the first host call.
    for (let fd = 0; fd < this.top; fd++) if (this.low[fd] !== 0) shared[fd] = 1;
  }
}

/** A new shared ledger for one run. */
export function createLedger(): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * LEDGER_SLOTS);
}

/** After a run's worker has exited: closes every native descriptor it left open. */
export function closeLeftovers(shared: SharedArrayBuffer): void {
  const s = new Int32Array(shared);
  for (let fd = 0; fd < s.length; fd++) {
    if (s[fd] === 0) continue;
    s[fd] = 0;
    try {
      fs.closeSync(fd);
    } catch {
      // already gone
    }
  }
}
