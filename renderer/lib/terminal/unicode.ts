/**
 * The terminal's character widths: grapheme clusters and East Asian widths, by the same rule the
 * host's line editor moves its cursor with (`preload/columns.ts`), instead of xterm.js's built-in
 * Unicode 6 table (where ☕ is one column and 👍🏽 two characters), so an edited line and its
 * cursor stay where they are drawn.
 */
import type { Terminal } from '@xterm/xterm';
import { charProperties, codePointColumns } from '../../../preload/columns.ts';

const VERSION = 'terrarium-graphemes';

/** Makes `t` measure text by the shared column rule (needs `allowProposedApi`). */
export function useSharedWidths(t: Terminal): void {
  t.unicode.register({ version: VERSION, wcwidth: codePointColumns, charProperties });
  t.unicode.activeVersion = VERSION;
}
