/**
 * Keeps a flood of denials from flooding the person's terminal (issue 9, point 6): an app that
 * makes 200,000 denied accesses would otherwise print 200,000 hint lines, burying its own output
 * and anything that matters. The audit log keeps every decision; stderr gets a few.
 */

/** Lines printed before the limit starts. */
export const HINT_BURST = 5;
/** After the burst, at most one line per this many milliseconds. */
export const HINT_INTERVAL_MS = 1000;

/** A hint printer that lets through the first HINT_BURST, then one a second, and counts the rest. */
export interface HintLimiter<T> {
  /** Prints the hint for `x` unless over the limit. */
  say(x: T): void;
  /** How many hints were left out so far. */
  readonly skipped: number;
}

/** Wraps `print` in the limit; `now` is the clock (milliseconds). */
export function limitHints<T>(print: (x: T) => void, now: () => number = Date.now): HintLimiter<T> {
  let printed = 0;
  let skipped = 0;
  let lastAt = -Infinity;
  return {
    say(x) {
      const t = now();
      if (printed >= HINT_BURST && t - lastAt < HINT_INTERVAL_MS) {
        skipped++;
        return;
      }
      printed++;
      lastAt = t;
      print(x);
    },
    get skipped() {
      return skipped;
    },
  };
}
