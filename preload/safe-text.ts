/**
 * Text that comes from an app, a package or a URL (a name, a version, a description, a module's
 * `producers`, a declared folder, a file name) is hostile (issue 9): raw, it can write to the
 * clipboard through a terminal (OSC 52), clear the screen, fake a line, or turn
 * `trusted.wasm\u202Eexe.txt` into what looks like another file type. This is the one sanitiser:
 * every such string is shown with its unsafe characters as visible `\u{…}` escapes, refused where a
 * value must be clean (an app name), and cut to a length at grapheme boundaries, saying so.
 *
 * It lives in preload/ because that is the one folder both sides may import from: main (library,
 * cli, launcher, integration) and the renderer (which imports nothing else of the project). Like
 * preload/wire.ts it is pure: no Node, no DOM, no Electron, only the language (`Intl.Segmenter`).
 */

/**
 * The unsafe characters: controls (C0, DEL, C1), format characters (bidi embeddings, overrides,
 * isolates and marks, zero-width characters, tags), unpaired surrogates, non-characters (U+FDD0..
 * U+FDEF and U+xFFFE/U+xFFFF) and the line and paragraph separators.
 */
const UNSAFE_CLASS = String.raw`[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Noncharacter_Code_Point}]`;

/** A zero-width joiner between two emoji draws one emoji and moves nothing, so it is kept. */
const EMOJI_JOIN = String.raw`\p{Extended_Pictographic}(?:\uFE0F|[\u{1F3FB}-\u{1F3FF}])?\u200D(?=\p{Extended_Pictographic})`;

// Made at first use, not at import: building these Unicode-property classes takes ~1.5 ms, which
// every `terrarium` start paid though a plain run never shows any text (issue 14.2).
let unsafeOrEmojiRe: RegExp | undefined;
let unsafeAllRe: RegExp | undefined;
const unsafeOrEmoji = (): RegExp => (unsafeOrEmojiRe ??= new RegExp(`${EMOJI_JOIN}|${UNSAFE_CLASS}`, 'gu'));
const unsafeAll = (): RegExp => (unsafeAllRe ??= new RegExp(UNSAFE_CLASS, 'gu'));

/** Whether a match of unsafeOrEmoji() is a kept emoji join (else it is one unsafe character). */
const isEmojiJoin = (m: string): boolean => m.length > 1 && m.endsWith('\u200D');

/** `s` with every unsafe character shown as a `\u{…}` escape (so what is shown is what is there). */
export function visible(s: string): string {
  return s.replace(unsafeOrEmoji(), (m) => (isEmojiJoin(m) ? m : `\\u{${m.codePointAt(0)!.toString(16)}}`));
}

/** `s` with every unsafe character replaced by `by`: for text that cannot carry an escape (a file name). */
export function replaceUnsafe(s: string, by: string): string {
  return s.replace(unsafeOrEmoji(), (m) => (isEmojiJoin(m) ? m : by));
}

/** The first unsafe character of `s` as `U+XXXX`, or null when `s` is clean. */
export function unsafeCharacter(s: string): string | null {
  for (const [m] of s.matchAll(unsafeOrEmoji())) {
    if (!isEmojiJoin(m)) return `U+${m.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

/** What marks a cut text's end. */
export const CUT_MARK = '…';

let segmenter: Intl.Segmenter | undefined;

/** `s`'s graphemes (user-perceived characters), lazily. */
function graphemes(s: string): Iterable<string> {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const segments = segmenter.segment(s);
  return { *[Symbol.iterator]() { for (const g of segments) yield g.segment; } };
}

/**
 * `s` cut to at most `max` UTF-16 units at a grapheme boundary (never inside an emoji, a letter with
 * its accents, or a surrogate pair), ending in `…` when anything was cut; `cut` says whether it was.
 * Each grapheme is passed through `map` first (the length counts what `map` returns).
 */
export function cutText(s: string, max: number, map: (g: string) => string = (g) => g): { text: string; cut: boolean } {
  let text = '';
  let kept = '';
  if (max < CUT_MARK.length) throw new RangeError(`cannot cut text to ${max} units`);
  for (const g of graphemes(s)) {
    const next = text + map(g);
    if (next.length > max) return { text: `${kept}${CUT_MARK}`, cut: true };
    text = next;
    // What stays if a later grapheme does not fit: room for the mark.
    if (text.length <= max - CUT_MARK.length) kept = text;
  }
  return { text, cut: false };
}

/**
 * `s` fit to show on one line: unsafe characters escaped (a newline becomes `\u{a}`, so no value can
 * start a line of its own) and cut to `max` units at a grapheme boundary with a closing `…`.
 */
export function safeText(s: string, max = Number.POSITIVE_INFINITY): string {
  // Escaping the whole text escapes each grapheme as the cut would (no match of `visible` spans two
  // graphemes: an emoji joined by a ZWJ is one), so text that fits escaped needs no segmenting.
  const shown = visible(s);
  return shown.length <= max ? shown : cutText(s, max, visible).text;
}

/**
 * JSON text (as `JSON.stringify` makes it) with unsafe characters inside its strings written as
 * `\uXXXX` escapes: it parses to exactly the same value, and a terminal that shows it sees no C1
 * control, bidi override or line separator (`JSON.stringify` escapes only C0 and lone surrogates).
 */
export function jsonSafe(json: string): string {
  return json.replace(unsafeAll(), (c) => {
    // A raw C0 control in JSON.stringify's output is its own indentation (it escapes those in strings).
    if (c < ' ') return c;
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/**
 * The key two app names are compared on (secreview2 hole 2): names drawn alike or differing only
 * in case are the same name. NFKC (so `e` + U+0301 is `é`, and a fullwidth or ligature form its
 * plain letters), then case folded by upper- then lower-casing (so `ÉCOLE` is `école`, `STRASSE`
 * is `straße`, a final sigma is a sigma), then NFKC again (case mapping can undo a composition).
 * Confusables across scripts (Cyrillic `а` for Latin `a`) are not folded: that needs UTS #39.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}
