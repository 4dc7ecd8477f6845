/**
 * The terminal's character widths: grapheme clusters and East Asian widths, by the same rule the
 * host's line editor moves its cursor with (`preload/columns.ts`), instead of xterm.js's built-in
 * Unicode 6 table (where ☕ is one column and 👍🏽 two characters), so an edited line and its
 * cursor stay where they are drawn.
 */
import type { Terminal } from '@xterm/xterm';
import { charProperties, codePointColumns } from '../../../preload/columns.ts';

const VERSION = 'terrarium-graphemes';

/** Code points below this are answered from a table (xterm asks once per printed character). */
const TABLE_CODE_POINTS = 0x80;
/** Packed properties are `state << 3 | width << 1 | joins`, under 32 (see `charProperties`). */
const TABLE_PRECEDING = 32;
const UNKNOWN = -1;
const asciiWidths = new Int8Array(TABLE_CODE_POINTS).fill(UNKNOWN);
const asciiProperties = new Int8Array(TABLE_CODE_POINTS * TABLE_PRECEDING).fill(UNKNOWN);

/**
 * `codePointColumns`, remembered for ASCII: the same answers, without a string and a Unicode
 * regular expression per character of a flood (issue 14.5).
 */
export function fastColumns(cp: number): 0 | 1 | 2 {
  if (cp >= TABLE_CODE_POINTS) return codePointColumns(cp);
  let w = asciiWidths[cp]!;
  if (w === UNKNOWN) w = asciiWidths[cp] = codePointColumns(cp);
  return w as 0 | 1 | 2;
}

/** `charProperties`, remembered for ASCII after any preceding state (the same answers). */
export function fastCharProperties(cp: number, preceding: number): number {
  if (cp >= TABLE_CODE_POINTS || preceding < 0 || preceding >= TABLE_PRECEDING) return charProperties(cp, preceding);
  const i = cp * TABLE_PRECEDING + preceding;
  let p = asciiProperties[i]!;
  if (p === UNKNOWN) p = asciiProperties[i] = charProperties(cp, preceding);
  return p;
}

/** Makes `t` measure text by the shared column rule (needs `allowProposedApi`). */
export function useSharedWidths(t: Terminal): void {
  t.unicode.register({ version: VERSION, wcwidth: fastColumns, charProperties: fastCharProperties });
  t.unicode.activeVersion = VERSION;
}
