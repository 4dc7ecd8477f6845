import fs from 'node:fs';

/** Slots in a run's ledger of native descriptors (more than a guest's fd table usually holds). */
export const LEDGER_SLOTS = 4096;

/**
 * The descriptors the native host calls opened and have not closed yet. Node only knows (and
 * closes when a worker is terminated) the descriptors its own `fs` opened, and warns when one it
 * did not open is closed through `fs.closeSync`; so native descriptors are closed natively, and
 * listed in a shared ledger that the thread which started the worker empties after the worker
 * has exited (`closeLeftovers`), in case it was terminated mid-run.
 */
export class FdLedger {
  private readonly slots = new Map<number, number>();
  private shared: Int32Array | undefined;
  private next = 0;

  /** Records `fd` as opened natively. */
  add(fd: number): void {
    this.slots.set(fd, this.place(fd));
  }

  /** True (and forgets it) when `fd` was opened natively. */
  take(fd: number): boolean {
    const slot = this.slots.get(fd);
    if (slot === undefined) return false;
    this.slots.delete(fd);
    if (slot >= 0 && this.shared !== undefined) Atomics.store(this.shared, slot, 0);
    return true;
  }

  /** Starts listing in `shared` (LEDGER_SLOTS int32 slots; fd + 1, 0 = free), with what is open now. */
  attach(shared: Int32Array): void {
    this.shared = shared;
    for (const fd of this.slots.keys()) this.slots.set(fd, this.place(fd));
  }

  private place(fd: number): number {
    const s = this.shared;
    if (s === undefined) return -1;
    for (let i = 0; i < s.length; i++) {
      const slot = (this.next + i) % s.length;
      if (Atomics.load(s, slot) === 0) {
        Atomics.store(s, slot, fd + 1);
        this.next = slot + 1;
        return slot;
      }
    }
    return -1; // full: this one is not covered if the worker is terminated
  }
}

/** A new shared ledger for one run. */
export function createLedger(): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * LEDGER_SLOTS);
}

/** After a run's worker has exited: closes every native descriptor it left open. */
export function closeLeftovers(shared: SharedArrayBuffer): void {
  const s = new Int32Array(shared);
  for (let i = 0; i < s.length; i++) {
    const v = Atomics.exchange(s, i, 0);
    if (v > 0) {
      try {
        fs.closeSync(v - 1);
      } catch {
        // already gone
      }
    }
  }
}
