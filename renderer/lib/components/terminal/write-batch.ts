/**
 * The terminal's write path (issue 14.5): output chunks are gathered and handed to xterm.js at most
 * once per animation frame, one batch at a time (the next waits until xterm has parsed the last),
 * so a flood costs one write per frame instead of one per message; the first output after a quiet
 * spell is written at once, and a run's first output (the first since the terminal was made or
 * reset) at once whatever else is happening. While a terminal has seen nothing
 * but plain text (printable ASCII, tab, CR, LF) since its last reset, text that would scroll out
 * of the scrollback before it could be seen is skipped (`fastForward`): the screen and scrollback
 * end up exactly as if every byte had been parsed.
 */
import { isPlain } from '../../../../preload/plain-text.ts';

export { isPlain };

/** What the batcher writes to: xterm's `write` with its parsed-callback, and its size. */
export interface BatchTarget {
  write(data: Uint8Array, parsed: () => void): void;
  /** Rows the terminal keeps: its scrollback plus its visible rows. */
  keptRows(): number;
  /**
   * Its visible rows, and whether the person follows the output (the view is at the bottom): when
   * both are given, a flood is drawn screen by screen and the scrollback made whole when it ends
   * (see WriteBatcher). Without them every batch writes the whole kept tail.
   */
  screenRows?(): number;
  following?(): boolean;
}

const LF = 0x0a;
/** Below this many skippable bytes, a batch is written whole (skipping is not worth a copy). */
const MIN_SKIP = 64 * 1024;
/** Largest single write to xterm (it parses a write without yielding to the page). */
const PIECE = 128 * 1024;
/** A frame that does not come (hidden window) is not waited for longer than this. */
const MAX_WAIT_MS = 100;
/**
 * While a flood is being skipped through, batches start at most this often: each one parses the
 * whole kept scrollback again, so a batch per frame would spend the page on parsing (issue 14.5).
 */
const FLOOD_INTERVAL_MS = 50;
/**
 * A followed flood's held tail is written whole once no output has come for this long: a flood
 * paused for less (main or the page busy for a moment, a click's work) keeps being drawn a screen
 * at a time, instead of xterm parsing the whole kept tail (5000 lines, ~100 ms of the page's
 * thread) at every pause.
 */
const HOLD_QUIET_MS = 250;

/**
 * `data` (plain text, written to a terminal that has seen only plain text) without the lines that
 * would leave a terminal keeping `keptRows` rows before the last of it is written: it starts at
 * the line feed before the last `keptRows` lines. Every line produces at least one row, so those
 * rows (and the cursor) are the same either way; with nothing to skip, `data` itself.
 */
export function fastForward(data: Uint8Array, keptRows: number): Uint8Array {
  let lines = 0;
  // From line feed to line feed (lastIndexOf searches natively); a negative start would wrap around.
  for (let i = data.length - 1; i >= MIN_SKIP; i--) {
    i = data.lastIndexOf(LF, i);
    if (i < MIN_SKIP) break;
    if (++lines > keptRows) return data.subarray(i);
  }
  return data;
}

/**
 * At least the last `lines` lines of `data` (plain text; a last line without its line feed counts
 * extra), from the line feed before them; all of `data` when it has no more lines than that.
 */
export function lastLines(data: Uint8Array, lines: number): Uint8Array {
  let n = 0;
  for (let i = data.length - 1; i >= 0; i--) {
    i = data.lastIndexOf(LF, i);
    if (i < 0) break;
    if (++n > lines) return data.subarray(i);
  }
  return data;
}

/**
 * `fastForward` of `parts` joined (`size` bytes in all), joining only what is kept: the skipped
 * bytes are never copied.
 */
export function fastForwardParts(parts: readonly Uint8Array[], size: number, keptRows: number): Uint8Array {
  let lines = 0;
  let end = size;
  for (let p = parts.length - 1; p >= 0; p--) {
    const part = parts[p]!;
    const start = end - part.length;
    for (let i = part.length - 1; i >= 0 && start + i >= MIN_SKIP; i--) {
      i = part.lastIndexOf(LF, i);
      if (i < 0 || start + i < MIN_SKIP) break;
      if (++lines > keptRows) return p === parts.length - 1 ? part.subarray(i) : concat([part.subarray(i), ...parts.slice(p + 1)], size - (start + i));
    }
    if (start < MIN_SKIP) break;
    end = start;
  }
  return parts.length === 1 ? parts[0]! : concat(parts, size);
}

/** Batches writes to `target` per animation frame (see the file's comment). */
export class WriteBatcher {
  private readonly target: BatchTarget;
  private pending: Uint8Array[] = [];
  /** The pending chunks not known to be plain text (not marked so when pushed): looked at in `flush`. */
  private unchecked: Uint8Array[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  private parsing = false;
  /** Nothing but plain text was written since the last reset. */
  private plain = true;
  private disposed = false;
  /** Something was written since the terminal was made or last reset. */
  private written = false;
  /** A batch was written since the last animation frame. */
  private frameUsed = false;
  /** When the last batch that skipped text (a flood) started; 0 when the last one skipped none. */
  private floodAt = 0;
  /**
   * During a flood the person follows, the kept tail of everything so far (plain text from a line
   * feed, more than the kept rows' worth of lines) of which only the last screenful was written:
   * written whole when the flood ends (or the view leaves the bottom, or anything else arrives).
   */
  private held: Uint8Array | null = null;
  /** When output last came (`push`). */
  private pushedAt = 0;
  /** Set while a held tail waits for the flood to go quiet (HOLD_QUIET_MS). */
  private quietTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(target: BatchTarget) {
    this.target = target;
  }

  /**
   * Queues `data`: written at once when it is the frame's first write and xterm is idle (a run's
   * first output is not held back a frame), otherwise with the rest at the next frame. `plain`:
   * the sender checked that `data` is plain text (`isPlain`; main's web transport marks its output),
   * so it is not looked at again.
   */
  push(data: Uint8Array, plain = false): void {
    if (this.disposed || data.length === 0) return;
    this.pushedAt = performance.now();
    this.pending.push(data);
    if (!plain && this.plain) this.unchecked.push(data);
    this.pendingBytes += data.length;
    // A run's first output (nothing written since the terminal was made or reset) never waits.
    if (!this.written) return this.flush();
    if (this.parsing || this.scheduled) return;
    if (this.frameUsed) this.schedule();
    else this.flush();
  }

  /**
   * The terminal is being reset (a re-run): output not yet written is dropped, and the parser is
   * back in its ground state unless a batch is still being parsed (it is parsed after the reset).
   */
  reset(): void {
    this.pending = [];
    this.unchecked = [];
    this.pendingBytes = 0;
    this.held = null;
    this.written = false;
    this.plain ||= !this.parsing;
  }

  /** Stops writing (the terminal is gone). */
  dispose(): void {
    this.disposed = true;
    this.pending = [];
    this.unchecked = [];
  }

  private schedule(): void {
    if (this.scheduled || this.parsing) return;
    this.scheduled = true;
    const inFlood = this.floodAt === 0 ? 0 : this.floodAt + FLOOD_INTERVAL_MS - performance.now();
    if (inFlood > 0) setTimeout(() => this.atFrame(), inFlood);
    else this.atFrame();
  }

  /** Flushes at the next animation frame (or after MAX_WAIT_MS without one). */
  private atFrame(): void {
    const frame = requestAnimationFrame(() => run());
    const run = (): void => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      if (!this.scheduled) return;
      this.scheduled = false;
      this.flush();
    };
    // `run` is only ever called after this line (a frame or the timer), so `timer` is set by then.
    const timer = setTimeout(run, MAX_WAIT_MS);
  }

  private flush(): void {
    if (this.disposed || (this.pendingBytes === 0 && this.held === null)) return;
    const t = this.target;
    if (this.pendingBytes === 0 && t.following?.()) {
      // Only a held tail, and the person still follows: written whole once the flood has been quiet
      // for HOLD_QUIET_MS (more output meanwhile is drawn as before, and this looks again).
      const quietIn = this.pushedAt + HOLD_QUIET_MS - performance.now();
      if (quietIn > 0) {
        this.quietTimer ??= setTimeout(() => {
          this.quietTimer = undefined;
          if (!this.parsing && !this.scheduled) this.flush();
        }, quietIn);
        return;
      }
    }
    const parts = this.pending;
    const size = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.plain &&= this.unchecked.every(isPlain);
    this.unchecked = [];
    const keptRows = this.target.keptRows();
    // A held tail (below) goes in front of the new output: skipping is decided on both together, so
    // output that resumes after a pause, in however small a piece, continues the flood.
    const held = this.held;
    this.held = null;
    const all = held ? [held, ...parts] : parts;
    const total = size + (held?.length ?? 0);
    let batch = this.plain ? fastForwardParts(all, total, keptRows) : all.length === 1 ? all[0]! : concat(all, total);
    // A flood: plain output that skips text, or that follows a held tail (it keeps more than the kept rows).
    this.floodAt = this.plain && size > 0 && (batch.length < total || held !== null) ? performance.now() : 0;
    if (this.floodAt > 0 && t.screenRows && t.following?.()) {
      // A flood the person follows: the kept tail is held, and only its last screenful written
      // (xterm parses a screen instead of the whole scrollback per batch, issue 14.5).
      this.held = batch;
      batch = lastLines(batch, t.screenRows());
    }
    // Otherwise the flood is over (quiet for HOLD_QUIET_MS, or the view left the bottom, or other
    // bytes came): the held tail is written whole first, so the scrollback ends as if every byte
    // had been parsed.
    this.parsing = true;
    this.written = true;
    if (!this.frameUsed) {
      this.frameUsed = true;
      requestAnimationFrame(() => (this.frameUsed = false));
    }
    // In pieces: xterm parses one write without yielding, and yields between writes (the page
    // stays responsive while a large batch is parsed).
    for (let off = 0; off < batch.length; off += PIECE) {
      const last = off + PIECE >= batch.length;
      this.target.write(batch.subarray(off, off + PIECE), last ? () => {
        this.parsing = false;
        // A held tail is written at the next batch, or by itself when nothing more comes.
        if (this.pendingBytes > 0 || this.held) this.schedule();
      } : () => undefined);
    }
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
