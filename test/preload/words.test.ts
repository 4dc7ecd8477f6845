/** The one argument splitter and joiner (preload/words.ts): a table of texts and their words, and round trips. */
import { describe, expect, it } from 'vitest';
import { joinWords, splitWords, trySplitWords, WordsError } from '../../preload/words.ts';

/** Text as typed → the words it means. */
const SPLITS: [string, string[]][] = [
  ['', []],
  ['   \t\n ', []],
  ['a b  c', ['a', 'b', 'c']],
  [String.raw`C:\Users\me`, [String.raw`C:\Users\me`]],
  [String.raw`"C:\Users\me"`, [String.raw`C:\Users\me`]],
  [String.raw`'C:\Users\me'`, [String.raw`C:\Users\me`]],
  ['"C:\\Program Files\\app" --in D:\\data\\', ['C:\\Program Files\\app', '--in', 'D:\\data\\']],
  [String.raw`C:\Program\ Files`, ['C:\\Program Files']],
  [String.raw`'\\server\share'`, [String.raw`\\server\share`]],
  [String.raw`"\\server\share"`, [String.raw`\server\share`]],
  [String.raw`a\\b`, [String.raw`a\b`]],
  [String.raw`say \"hi\"`, ['say', '"hi"']],
  [String.raw`"say \"hi\""`, ['say "hi"']],
  [`"it's"`, ["it's"]],
  [String.raw`it\'s`, ["it's"]],
  [`'a "b"'`, ['a "b"']],
  [`--out "my file.wav"`, ['--out', 'my file.wav']],
  [`'' "" x`, ['', '', 'x']],
  [`pre"mid dle"'post'`, ['premid dlepost']],
  ['$HOME `x` *.txt ~', ['$HOME', '`x`', '*.txt', '~']],
  [`"$HOME"`, ['$HOME']],
  ['héllo wörld 👍🏽 ☕', ['héllo', 'wörld', '👍🏽', '☕']],
  ['a\u00a0b\u3000c', ['a', 'b', 'c']],
  ['trailing\\', ['trailing\\']],
];

describe('splitWords', () => {
  it.each(SPLITS)('%j', (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });

  it.each([
    [`'open`, "'", 1],
    [`say "hi`, '"', 5],
    ['"C:\\Users\\me\\"', '"', 1],
    [`a 'b' "c`, '"', 7],
    [`👍🏽 "x`, '"', 4],
  ])('refuses the unterminated quote in %j with one coded error', (text, quote, column) => {
    let err: unknown;
    try {
      splitWords(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WordsError);
    expect((err as WordsError).code).toBe('unterminated-quote');
    expect((err as WordsError).message).toBe(`unterminated ${quote} quote (opened at column ${column})`);
    const r = trySplitWords(text);
    expect(r.ok).toBe(false);
  });
});

/** Lists of words → how they are written (and they must split back). */
const JOINS: [string[], string][] = [
  [[], ''],
  [['a', 'b'], 'a b'],
  [[String.raw`C:\Users\me`], String.raw`C:\Users\me`],
  [[String.raw`C:\Program Files\app`], String.raw`'C:\Program Files\app'`],
  [[String.raw`\\server\share`], String.raw`'\\server\share'`],
  [['D:\\data\\'], "'D:\\data\\'"],
  [[''], "''"],
  [["it's"], `"it's"`],
  [[`it's "x" \\`], String.raw`"it's \"x\" \\"`],
  [['my file.wav'], `'my file.wav'`],
  [['👍🏽', '☕ x'], `👍🏽 '☕ x'`],
];

describe('joinWords', () => {
  it.each(JOINS)('%j → %s', (words, text) => {
    expect(joinWords(words)).toBe(text);
    expect(splitWords(text)).toEqual(words);
  });

  it('round-trips every word of the split table, and awkward mixes', () => {
    const lists: string[][] = SPLITS.map(([, ws]) => ws);
    lists.push(
      ['\\', '\\\\', "'", '"', '\\"', "\\'", ' ', '\t', '\n', 'a\\', "'\\'", '"\\"'],
      ['--name=a b', '-x', "--q='v'", 'C:\\a b\\', 'é\u0301', '\u{1F468}\u200D\u{1F469}'],
    );
    for (const ws of lists) expect(splitWords(joinWords(ws))).toEqual(ws);
  });

  it('round-trips generated words over the characters that matter', () => {
    const alphabet = ['a', ' ', '\\', "'", '"', '\t', 'é', '$', 'C:', '👍🏽'];
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 2000; k++) {
      const ws = Array.from({ length: rand(4) }, () => Array.from({ length: rand(6) }, () => alphabet[rand(alphabet.length)]).join(''));
      expect(splitWords(joinWords(ws))).toEqual(ws);
    }
  });
});
