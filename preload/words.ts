/**
 * The one argument splitter and joiner (issue 10.2): the CLI (`grant --args`), the window's default
 * arguments field and "run with arguments", and stored grants shown as text all turn a line into
 * words and words back into a line with this file, so the same text always means the same words.
 *
 * The rules are a POSIX shell's quoting without any expansion ($, `, *, ~ are ordinary):
 * - whitespace (space, tab, newline, any Unicode space) separates words; runs of it count once;
 * - '…' keeps everything inside literally, backslashes included; it cannot contain a `'`;
 * - "…" keeps everything inside literally, except that `\"` is a quote and `\\` a backslash;
 * - outside quotes, a backslash escapes the next character only when that character would
 *   otherwise be special: whitespace, `'`, `"` or `\`;
 * - a backslash before any other character (or at the end) is an ordinary character, so Windows
 *   paths keep theirs: `C:\Users\me` and `"C:\Users\me"` are both the word C:\Users\me. (A doubled
 *   backslash is one, as in a shell: write a UNC path `'\\server\share'`.)
 * - '' and "" make an empty word; quoted and bare parts next to each other make one word;
 * - an unterminated quote is refused with a {@link WordsError} (code `unterminated-quote`), never
 *   guessed at.
 *
 * Pure: no Node, no DOM, so main and the renderer import it alike (like preload/safe-text.ts).
 */

/** Why a text could not be split into words. */
export type WordsErrorCode = 'unterminated-quote';

/** A text that is not a well-formed line of words: one clear message, a code, where it went wrong. */
export class WordsError extends Error {
  /** What went wrong. */
  readonly code: WordsErrorCode;
  /** The index in the text of the quote that was never closed. */
  readonly at: number;

  constructor(code: WordsErrorCode, message: string, at: number) {
    super(message);
    this.name = 'WordsError';
    this.code = code;
    this.at = at;
  }
}

const SPACE = /\s/u;

/** Characters a backslash escapes outside quotes. */
function escapableBare(c: string): boolean {
  return c === '\\' || c === '"' || c === "'" || SPACE.test(c);
}

/**
 * Splits `text` into words by the rules above. Throws {@link WordsError} for an unterminated
 * quote: `unterminated " quote (opened at column 5)`.
 */
export function splitWords(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  let openedAt = 0;
  const chars = Array.from(text);
  let col = 0;
  for (let i = 0; i < chars.length; i++, col++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    if (quote === "'") {
      if (c === "'") quote = null;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (next === '"' || next === '\\')) {
        cur += next;
        i++;
        col++;
      } else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      openedAt = col;
      inWord = true;
    } else if (c === '\\' && next !== undefined && escapableBare(next)) {
      cur += next;
      i++;
      col++;
      inWord = true;
    } else if (SPACE.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote !== null) {
    throw new WordsError('unterminated-quote', `unterminated ${quote} quote (opened at column ${openedAt + 1})`, openedAt);
  }
  if (inWord) out.push(cur);
  return out;
}

/** {@link splitWords} without throwing: the words, or the error to show next to the field. */
export function trySplitWords(text: string): { ok: true; words: string[] } | { ok: false; error: WordsError } {
  try {
    return { ok: true, words: splitWords(text) };
  } catch (err) {
    if (err instanceof WordsError) return { ok: false, error: err };
    throw err;
  }
}

/** A word that splits back to itself written bare: no whitespace, no quotes, no `\\`, no trailing `\`. */
function isBare(word: string): boolean {
  return word !== '' && !/[\s'"]|\\\\|\\$/u.test(word);
}

/**
 * One word written so that {@link splitWords} gives it back: bare when it can be, in "…" when it
 * holds a `'` (with `\` and `"` escaped), else in '…' (where everything, backslashes too, is literal).
 */
export function quoteWord(word: string): string {
  if (isBare(word)) return word;
  if (word.includes("'")) return `"${word.replace(/["\\]/g, '\\$&')}"`;
  return `'${word}'`;
}

/** The inverse of {@link splitWords}: `splitWords(joinWords(ws))` equals `ws` for every list of words. */
export function joinWords(words: readonly string[]): string {
  return words.map(quoteWord).join(' ');
}
