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

/**
 * `text` (a path an app chose, a name or description a package gave) with every control, invisible
 * or bidirectional mark shown as a `\u{…}` escape, so what is displayed is what is there (DESIGN §5;
 * the one sanitiser, preload/safe-text.ts, shared with main).
 */
export { visible as visibleText, safeText } from '../../../preload/safe-text.ts';
