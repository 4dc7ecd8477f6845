/**
 * What a window gets back after a reload (issue 13, point 5): each run's latest terminal output,
 * kept in main and bounded, and how the finished ones ended. A run's buffer keeps its last
 * SCROLLBACK_BYTES (older output is dropped whole chunks first and counted); the last
 * KEPT_FINISHED finished runs are kept until a window closes their tab (`forget`).
 */
import type { RecentRun, RunExit, SessionInfo } from './events.ts';

/** Bytes of output kept per run (the newest). */
export const SCROLLBACK_BYTES = 256 * 1024;
/** Finished runs kept for a reloaded window. */
export const KEPT_FINISHED = 20;
/** Writes shorter than this join the previous chunk. */
const SMALL = 1024;

interface Kept {
  info: SessionInfo;
  chunks: Uint8Array[];
  size: number;
  /** Bytes dropped from the start. */
  cut: number;
  exit: RunExit | null;
  /** Its tab was closed while it ran: let it go when it ends. */
  forgotten: boolean;
  /** Small writes not yet joined into a chunk (they come after every chunk). */
  small: Uint8Array[];
  smallSize: number;
}

/** Joins the gathered small writes into one chunk at the end. */
function join(k: Kept): void {
  if (k.small.length === 0) return;
  const c = new Uint8Array(k.smallSize);
  let at = 0;
  for (const b of k.small) {
    c.set(b, at);
    at += b.length;
  }
  k.chunks.push(c);
  k.small = [];
  k.smallSize = 0;
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
    this.runs.set(info.runId, { info, chunks: [], size: 0, cut: 0, exit: null, forgotten: false, small: [], smallSize: 0 });
  }

  /** Keeps a copy of `data`, the run's next output, dropping its oldest beyond the bound. */
  append(runId: string, data: Uint8Array): void {
    const k = this.runs.get(runId);
    if (!k || data.length === 0) return;
    const own = data.length > this.limit ? data.slice(data.length - this.limit) : data.slice();
    k.cut += data.length - own.length;
    // Small writes (echoes, byte-at-a-time output) are gathered and joined once they add up to
    // SMALL bytes, so the chunk count stays near size / SMALL and dropping from the front is cheap.
    if (own.length < SMALL) {
      k.small.push(own);
      k.smallSize += own.length;
      if (k.smallSize >= SMALL) join(k);
    } else {
      join(k);
      k.chunks.push(own);
    }
    k.size += own.length;
    while (k.size > this.limit) {
      if (k.chunks.length === 0) join(k);
      const first = k.chunks[0]!;
      const over = k.size - this.limit;
      if (first.length <= over) {
        k.chunks.shift();
        k.size -= first.length;
        k.cut += first.length;
      } else {
        k.chunks[0] = first.slice(over);
        k.size -= over;
        k.cut += over;
      }
    }
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
    return [...this.runs.values()].filter((k) => !k.forgotten).map((k) => {
      join(k);
      const output = new Uint8Array(k.size);
      let at = 0;
      for (const c of k.chunks) {
        output.set(c, at);
        at += c.length;
      }
      return { ...k.info, exit: k.exit, output, cut: k.cut };
    });
  }
}
