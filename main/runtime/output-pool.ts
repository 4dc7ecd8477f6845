/**
 * The buffers a run's output is delivered in (run.ts `drain`), reused from one batch to the next so
 * that a flood allocates no ~1 MiB buffer per batch: each new ArrayBuffer counts towards V8's
 * external memory and drove a Mark-Compact every 100–150 ms of a flood (docs/design/wflow.md,
 * Round 4). A buffer is lent to `onOutput` for the call; a consumer that keeps the bytes past it
 * (a socket send that may queue) holds the buffer with `holdOutput` and lets it go when done, and
 * it is reused only once nobody holds it. A consumer that keeps bytes without holding must copy.
 */

/** How one pooled buffer is lent: holds on it, and the pool it returns to. */
interface Lease {
  holds: number;
  pool: OutputPool;
  /** Taken from the pool and not yet back: only then can it be held. */
  out: boolean;
}

const leases = new WeakMap<ArrayBufferLike, Lease>();
const nothing = (): void => undefined;

/**
 * Keeps `data`'s bytes (output handed to `onOutput`, during the call) from being overwritten until
 * the returned function is called (once; later calls do nothing). Output not in a pooled buffer
 * needs no hold: the function then does nothing.
 */
export function holdOutput(data: Uint8Array): () => void {
  const lease = leases.get(data.buffer);
  if (!lease?.out) return nothing;
  lease.holds++;
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--lease.holds === 0) {
      lease.out = false;
      lease.pool.give(data.buffer as ArrayBuffer);
    }
  };
}

/** Whether `data` is in a pooled buffer lent out now (output during the call it was handed to). */
export function isPooledOutput(data: Uint8Array): boolean {
  return leases.get(data.buffer)?.out === true;
}

/** Buffers of one size, reused once nobody holds them; at most `keep` are kept free. */
export class OutputPool {
  private readonly free: ArrayBuffer[] = [];
  /** Buffers made so far (a test's view of reuse). */
  made = 0;

  private readonly size: number;
  private readonly keep: number;

  constructor(size: number, keep = 4) {
    this.size = size;
    this.keep = keep;
  }

  /** A buffer nobody holds. */
  take(): Uint8Array {
    let b = this.free.pop();
    if (!b) {
      this.made++;
      b = new ArrayBuffer(this.size);
      leases.set(b, { holds: 0, pool: this, out: false });
    }
    leases.get(b)!.out = true;
    return new Uint8Array(b);
  }

  /**
   * Calls `use` with `buf[0, length)`, held for the call; `buf` (from `take`) goes back to the pool
   * once the call is over and every hold taken during it is let go.
   */
  lend(buf: Uint8Array, length: number, use: (data: Uint8Array) => void): void {
    const release = holdOutput(buf);
    try {
      use(buf.subarray(0, length));
    } finally {
      release();
    }
  }

  /** `b` is free again (its last hold let go). */
  give(b: ArrayBuffer): void {
    if (this.free.length < this.keep) this.free.push(b);
    else leases.delete(b);
  }
}
