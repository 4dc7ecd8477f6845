/**
 * Text shown in a permission prompt comes from the app (its paths, its manifest's reason), so it
 * is made safe to show (DESIGN §5): control characters and bidirectional marks become visible
 * escapes, and it is cut to a length.
 */
import { visible } from '../../preload/safe-text.ts';

/**
 * `s` with C0/C1 controls, DEL and bidi/invisible format marks escaped as \u{…}, at most `max`
 * characters: a longer text loses its middle, so a path keeps both its start and its file name.
 */
export function promptSafe(s: string, max = 300): string {
  const escaped = visible(s);
  if (escaped.length <= max) return escaped;
  const head = Math.ceil((max - 1) / 2);
  return `${escaped.slice(0, head)}…${escaped.slice(escaped.length - (max - 1 - head))}`;
}
