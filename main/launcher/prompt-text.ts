/**
 * Text shown in a permission prompt comes from the app (its paths, its manifest's reason), so it
 * is made safe to show (DESIGN §5): control characters and bidirectional marks become visible
 * escapes, and it is cut to a length.
 */
import { visible } from '../../preload/safe-text.ts';

/**
 * `s` made safe to show (escaped by the one sanitiser, preload/safe-text.ts) in at most `max` characters: a longer text keeps its
 * start and its end (a path keeps its root and its file name) and says in between how many of its
 * characters were cut, e.g. "/home/ann/…(412 characters cut)…/id_rsa".
 */
export function promptSafe(s: string, max = 300): string {
  return shortened(s, max, visible);
}

/** The note put where a text was shortened; `n` is how many of its characters were left out. */
export function cutNote(n: number): string {
  return `…(${n} character${n === 1 ? '' : 's'} cut)…`;
}

// Made at first use: building a segmenter takes ~10 ms, which every CLI start would pay.
let graphemes: Intl.Segmenter | undefined;

/**
 * `s` as shown (each character through `show`), cut in the middle to at most `max` UTF-16 units
 * with a true `cutNote`. Characters are user-perceived ones (grapheme clusters), never split, and
 * never an escape half shown. A "…" of the text's own is shown escaped, so the only "…" in the
 * result is the note's, which the text therefore cannot fake.
 */
function shortened(s: string, max: number, show: (c: string) => string): string {
  const shown = Array.from((graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(s), ({ segment }) => show(segment).replaceAll('…', '\\u{2026}'));
  const whole = shown.join('');
  if (whole.length <= max) return whole;
  let noteLength = cutNote(shown.length).length;
  let head = 0;
  let tail = 0;
  // A shorter note (fewer digits) leaves room for more text, which cuts fewer: settle on both.
  for (let round = 0; round < 3; round++) {
    [head, tail] = keep(shown, Math.max(0, max - noteLength));
    const actual = cutNote(shown.length - head - tail).length;
    if (actual === noteLength) break;
    noteLength = actual;
  }
  return shown.slice(0, head).join('') + cutNote(shown.length - head - tail) + shown.slice(shown.length - tail).join('');
}

/** How many pieces to keep from the start and from the end of `pieces` within `budget` units. */
function keep(pieces: readonly string[], budget: number): [number, number] {
  let head = 0;
  let used = 0;
  while (head < pieces.length && used + pieces[head]!.length <= Math.ceil(budget / 2)) used += pieces[head++]!.length;
  let tail = 0;
  while (tail < pieces.length - head && used + pieces[pieces.length - 1 - tail]!.length <= budget) used += pieces[pieces.length - 1 - tail++]!.length;
  return [head, tail];
}
