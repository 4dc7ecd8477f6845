/**
 * What a terminal sends for a key pressed before it had the keyboard (a pane just shown takes it at
 * its first frame: util/hidden-focus.ts `awaitKeys`), as xterm.js sends it in its default modes:
 * text, Enter, Backspace, Escape, the arrows and Ctrl+letter. Anything else gives '' and is
 * dropped: a key being composed, a function key, Alt or Meta chords, Ctrl+Shift+C/V (the
 * browser's copy and paste in a terminal) and Tab (it moves focus out of a terminal: TerminalPane).
 */

/** The parts of a keyboard event looked at. */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  isComposing: boolean;
}

const NAMED: Record<string, string> = {
  Enter: '\r', Backspace: '\x7f', Escape: '\x1b',
  ArrowUp: '\x1b[A', ArrowDown: '\x1b[B', ArrowRight: '\x1b[C', ArrowLeft: '\x1b[D',
};

/** The bytes (as a string) a terminal sends for `e`; '' for what is not translated. */
export function keyData(e: KeyLike): string {
  if (e.isComposing || e.altKey || e.metaKey) return '';
  if (e.ctrlKey) return !e.shiftKey && /^[a-zA-Z]$/.test(e.key) ? String.fromCharCode(e.key.toUpperCase().charCodeAt(0) & 0x1f) : '';
  if (Object.hasOwn(NAMED, e.key)) return NAMED[e.key]!;
  // One character (a code point, which may be two UTF-16 units): the key's text.
  return [...e.key].length === 1 ? e.key : '';
}
