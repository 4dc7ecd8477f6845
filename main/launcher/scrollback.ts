/**
 * What a window gets back after a reload (issue 13, point 5): each run's latest terminal output,
 * kept in main and bounded, and how the finished ones ended. A run's buffer keeps its last
 * SCROLLBACK_BYTES (older output is dropped first, and counted); the last
 * KEPT_FINISHED finished runs are kept until a window closes their tab (`forget`).
 */
import type { RecentRun, RunExit, SessionInfo } from './events.ts';

/** Bytes of output kept per run (the newest). */
export const SCROLLBACK_BYTES = 256 * 1024;
/** Finished runs kept for a reloaded window. */
export const KEPT_FINISHED = 20;
/** The first buffer of a run's output; it doubles as output comes, up to the bound. */
const FIRST = 4096;

interface Kept {
  info: SessionInfo;
  /**
   * The kept bytes, a ring once it is the bound's size: `size` bytes from `start`, wrapping. It
   * grows by doubling until then, so a run that prints little keeps little, and a flood copies
   * into it without making a buffer per write (each new one is external memory that drives V8's
   * Mark-Compacts during a flood: docs/design/wflow.md, Round 4).
   */
  buf: Uint8Array;
  start: number;
  size: number;
  /** Bytes dropped from the start. */
  cut: number;
  exit: RunExit | null;
  /** Its tab was closed while it ran: let it go when it ends. */
  forgotten: boolean;
}

/** The kept bytes in order, in a new buffer of `capacity` (at least `k.size`) bytes. */
function linear(k: Kept, capacity: number): Uint8Array {
  const out = new Uint8Array(capacity);
  const first = Math.min(k.size, k.buf.length - k.start);
  out.set(k.buf.subarray(k.start, k.start + first), 0);
  if (first < k.size) out.set(k.buf.subarray(0, k.size - first), first);
  return out;
}

/** The bounded output of the window's recent runs. */
export class Scrollback {
  private readonly runs = new Map<string, Kept>();
  private readonly limit: number;
  private readonly keep: number;

  constructor(limit = SCROLLBACK_BYTES, keep = KEPT_FINISHED) {
    this.limit = limit;
    this.keep = keep;
  }

  /** Starts keeping run `info.runId`. */
  begin(info: SessionInfo): void {
    this.runs.set(info.runId, { info, buf: new Uint8Array(0), start: 0, size: 0, cut: 0, exit: null, forgotten: false });
  }

  /** Keeps a copy of `data`, the run's next output, dropping its oldest beyond the bound. */
  append(runId: string, data: Uint8Array): void {
    const k = this.runs.get(runId);
    if (!k || data.length === 0) return;
    const src = data.length > this.limit ? data.subarray(data.length - this.limit) : data;
    k.cut += data.length - src.length;
    const need = k.size + src.length;
    if (need > k.buf.length && k.buf.length < this.limit) {
      let cap = Math.max(FIRST, k.buf.length);
      while (cap < need) cap *= 2;
      k.buf = linear(k, Math.min(cap, this.limit));
      k.start = 0;
    }
    const cap = k.buf.length;
    // Past the bound: the oldest bytes make room (the ring's start moves on).
    const over = Math.max(0, need - cap);
    k.start = (k.start + over) % cap;
    k.size -= over;
    k.cut += over;
    const at = (k.start + k.size) % cap;
    const first = Math.min(src.length, cap - at);
    k.buf.set(first === src.length ? src : src.subarray(0, first), at);
    if (first < src.length) k.buf.set(src.subarray(first), 0);
    k.size += src.length;
  }

  /** Records how run `runId` ended; the oldest finished runs beyond the bound are let go. */
  end(runId: string, exit: RunExit): void {
    const k = this.runs.get(runId);
    if (!k) return;
    k.exit = exit;
    if (k.forgotten) this.runs.delete(runId);
    const finished = [...this.runs.values()].filter((r) => r.exit !== null);
    for (const r of finished.slice(0, Math.max(0, finished.length - this.keep))) this.runs.delete(r.info.runId);
  }

  /** Lets a run go (its tab was closed): a finished one now, a live one when it ends. */
  forget(runId: string): void {
    const k = this.runs.get(runId);
    if (!k) return;
    if (k.exit) this.runs.delete(runId);
    else k.forgotten = true;
  }

  /** Every kept run (but those whose tab was closed), oldest first, with its output as one buffer. */
  recent(): RecentRun[] {
    return [...this.runs.values()].filter((k) => !k.forgotten).map((k) => ({ ...k.info, exit: k.exit, output: linear(k, k.size), cut: k.cut }));
  }
}
