/**
 * Pasted text is untrusted (DESIGN §8): xterm.js 6 passes control characters through, so a
 * clipboard holding ESC sequences could type commands the person never saw.
 */

// C0 controls except \t \n \r, DEL, and the 8-bit C1 range.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** `text` without ESC, C0 (but tab, CR, LF), DEL or C1 controls; line ends become CR (Enter). */
export function sanitizePaste(text: string): string {
  return text.replace(CONTROLS, '').replace(/\r?\n/g, '\r');
}

// Controls (C0, DEL, C1), format characters (bidi overrides and isolates, zero-width marks) and
// the line and paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * `text` (a path an app chose, say) with every control and invisible or bidirectional mark shown
 * as a `\u{…}` escape, so what is displayed is what is there (DESIGN §5; as main's promptSafe,
 * without its length cap).
 */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
