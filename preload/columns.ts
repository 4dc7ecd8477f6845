/**
 * How many terminal columns text takes, one rule for the host's line editor
 * (`main/launcher/line-discipline.ts`) and the window's terminal (xterm.js, through a Unicode
 * provider built on `charProperties`), so the cursor the editor moves is where the terminal draws.
 *
 * Text is cut into grapheme clusters with `Intl.Segmenter` (👍🏽, e + U+0301, 👨‍👩‍👧 are one
 * character each); widths come from the Unicode East Asian Width table (`get-east-asian-width`):
 * wide and fullwidth characters (☕, 字, 😀) take two columns, combining marks, joiners and
 * variation selectors none, and a character that joins the one before it (a mark, a skin-tone
 * modifier, what follows a zero-width joiner, the second half of a flag) widens that one's cell
 * instead of taking a new one.
 */
import { eastAsianWidth } from 'get-east-asian-width';

/** Columns one code point takes on its own: 0, 1 or 2. */
export function codePointColumns(cp: number): 0 | 1 | 2 {
  if (cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return 0;
  if (ZERO_WIDTH.test(String.fromCodePoint(cp))) return 0;
  return eastAsianWidth(cp, { ambiguousAsWide: false });
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const ZWJ_STATE = 1;
const FLAG_STATE = 2;
const isModifier = (cp: number): boolean => cp >= 0x1f3fb && cp <= 0x1f3ff;
const isRegional = (cp: number): boolean => cp >= 0x1f1e6 && cp <= 0x1f1ff;

/**
 * xterm.js's packed character properties (`state << 3 | width << 1 | joins`) for `cp` after the
 * character whose properties were `preceding` (0 at the start): whether it joins that character's
 * cell and how wide the joined cell then is. The same packing as xterm's `UnicodeService`, so the
 * window's Unicode provider returns it as is.
 */
export function charProperties(cp: number, preceding: number): number {
  const before = preceding >> 3;
  const beforeWidth = (preceding >> 1) & 3;
  let width: number = codePointColumns(cp);
  const joins =
    preceding !== 0 &&
    beforeWidth > 0 &&
    (width === 0 || isModifier(cp) || before === ZWJ_STATE || (before === FLAG_STATE && isRegional(cp)));
  // U+FE0F asks for the emoji (two-column) form of the character before it
  if (joins) width = cp === 0xfe0f ? 2 : beforeWidth;
  const state = cp === 0x200d ? ZWJ_STATE : isRegional(cp) && !joins ? FLAG_STATE : 0;
  if (joins && isRegional(cp)) width = 2;
  return (state << 3) | (width << 1) | (joins ? 1 : 0);
}

/** Columns one grapheme cluster takes: its code points folded through `charProperties`. */
export function graphemeColumns(g: string): number {
  let props = 0;
  let total = 0;
  for (const ch of g) {
    const cp = ch.codePointAt(0)!;
    const next = charProperties(cp, props);
    const w = (next >> 1) & 3;
    total += next & 1 ? w - ((props >> 1) & 3) : w;
    props = next;
  }
  return total;
}

/** Columns a run of text takes (grapheme by grapheme). */
export function textColumns(chars: readonly string[]): number {
  let n = 0;
  for (const g of chars) n += graphemeColumns(g);
  return n;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` cut into grapheme clusters (user-perceived characters). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}
