/**
 * Shortened prompt text (issue 9, point 10): a long path keeps its start and its end, says how
 * many characters were cut, and that count is true; the app cannot fake the note.
 */
import { expect, test } from 'vitest';
import { cutNote, promptSafe } from '../../main/launcher/prompt-text.ts';

/** Splits a shortened text into what was kept and the count its note claims. */
function parts(shown: string): { head: string; cut: number; tail: string } {
  const m = /^(.*)…\((\d+) characters? cut\)…(.*)$/su.exec(shown);
  if (!m) throw new Error(`no cut note in ${shown}`);
  return { head: m[1]!, cut: Number(m[2]), tail: m[3]! };
}

test('a text that fits is shown whole, with no note', () => {
  const p = `/home/ann/${'a'.repeat(280)}`;
  expect(promptSafe(p)).toBe(p);
  expect(promptSafe(p)).not.toContain('cut');
});

test('a long path keeps its start and end and says truly how many characters were cut', () => {
  for (const [len, max] of [[301, 300], [1000, 300], [5000, 60], [100_000, 300], [40, 40]] as const) {
    const original = `/home/ann/${'d/'.repeat(len)}id_rsa`;
    const shown = promptSafe(original, max);
    expect(shown.length).toBeLessThanOrEqual(max);
    const { head, cut, tail } = parts(shown);
    expect(original.startsWith(head)).toBe(true);
    expect(original.endsWith(tail)).toBe(true);
    expect(head.length + cut + tail.length).toBe(original.length);
    expect(tail.endsWith('id_rsa')).toBe(true);
    expect(head.length).toBeGreaterThan(0);
  }
  expect(promptSafe('x'.repeat(1000), 50)).toBe(`${'x'.repeat(14)}…(972 characters cut)…${'x'.repeat(14)}`);
});

test('the count is in characters as the person sees them: escapes and emoji are never split', () => {
  const middle = '\x1b'.repeat(100) + '👩‍👩‍👧'.repeat(50);
  const original = `/tmp/${middle}/end.txt`;
  const shown = promptSafe(original, 80);
  const { head, cut, tail } = parts(shown);
  expect(shown.length).toBeLessThanOrEqual(80);
  // Every escape shown is whole (no "\u{" left open at either side of the note).
  expect(head).toMatch(/^\/tmp\/(\\u\{1b\})*$/);
  expect(tail).toMatch(/^(👩‍👩‍👧)*\/end\.txt$/u);
  const headChars = (head.length - 5) / '\\u{1b}'.length + 5;
  const tailChars = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(tail)].length;
  const total = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(original)].length;
  expect(headChars + cut + tailChars).toBe(total);
});

test('an app cannot fake the note: its own "…" is shown as an escape', () => {
  const fake = `/home/ann/${cutNote(412)}/.ssh/id_rsa`;
  const shown = promptSafe(fake);
  expect(shown).not.toContain('…');
  expect(shown).toContain('\\u{2026}(412 characters cut)\\u{2026}');
  expect(cutNote(1)).toBe('…(1 character cut)…');
});
