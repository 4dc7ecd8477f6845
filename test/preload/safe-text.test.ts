/**
 * The one sanitiser for text from apps, packages and URLs (preload/safe-text.ts): every class of
 * unsafe character shown as an escape (or replaced, or reported), everything else kept, lengths cut
 * at grapheme boundaries saying so, and JSON kept exact.
 */
import { describe, expect, it } from 'vitest';
import { promptSafe } from '../../main/launcher/prompt-text.ts';
import { CUT_MARK, cutText, jsonSafe, replaceUnsafe, safeText, unsafeCharacter, visible } from '../../preload/safe-text.ts';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const esc = (cp: number): string => `\\u{${cp.toString(16)}}`;

/** Every class the sanitiser must catch, by code point (lone surrogates are separate: not code points of a pair). */
const UNSAFE: Record<string, number[]> = {
  'C0 controls': range(0x00, 0x1f),
  DEL: [0x7f],
  'C1 controls (8-bit CSI, OSC, ST, NEL…)': range(0x80, 0x9f),
  'bidi embeddings and overrides': range(0x202a, 0x202e),
  'bidi isolates': range(0x2066, 0x2069),
  'bidi marks': [0x200e, 0x200f, 0x061c],
  'zero-width and other format characters': [0x00ad, 0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0xfeff, 0xfff9, 0xfffa, 0xfffb, 0x180e],
  'tag characters': [0xe0001, ...range(0xe0020, 0xe007f)],
  'line and paragraph separators': [0x2028, 0x2029],
  'non-characters': [...range(0xfdd0, 0xfdef), 0xfffe, 0xffff, 0x1fffe, 0x1ffff, 0x10fffe, 0x10ffff],
};

const SAFE = [
  'plain ASCII: ~!@#$%^&*()_+{}|:"<>?`-=[]\\;\',./',
  'accents: é (e\u0301) ñ Å',
  'CJK 漢字 かな 한국어 (and jamo: \u1100\u1161\u11a8)',
  'right-to-left letters without controls: שלום مرحبا',
  'emoji: 😀 👍🏽 🇫🇷 ❤️ 👨‍👩‍👧 🏳️‍🌈 🧑🏿‍💻',
  'private use \ue000 and a replacement character \ufffd',
];

describe('visible', () => {
  for (const [what, cps] of Object.entries(UNSAFE)) {
    it(`escapes ${what}`, () => {
      for (const cp of cps) {
        const c = String.fromCodePoint(cp);
        expect(visible(`a${c}b`), cp.toString(16)).toBe(`a${esc(cp)}b`);
        expect(unsafeCharacter(`ok${c}`)).toBe(`U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
        expect(replaceUnsafe(`a${c}b`, '\ufffd')).toBe('a\ufffdb');
      }
    });
  }

  it('escapes unpaired surrogates (high alone, low alone, a reversed pair) and keeps real pairs', () => {
    expect(visible('a\ud800b')).toBe('a\\u{d800}b');
    expect(visible('a\udfffb')).toBe('a\\u{dfff}b');
    expect(visible('\udc00\ud800')).toBe('\\u{dc00}\\u{d800}');
    expect(visible('x\ud83d')).toBe('x\\u{d83d}');
    expect(visible('\ud83d\ude00')).toBe('😀');
    expect(unsafeCharacter('\ud800')).toBe('U+D800');
  });

  it('keeps everything else exactly, including emoji joined by ZWJ', () => {
    for (const s of SAFE) {
      expect(visible(s)).toBe(s);
      expect(unsafeCharacter(s)).toBe(null);
      expect(replaceUnsafe(s, '?')).toBe(s);
    }
  });

  it('a ZWJ is kept only between emoji', () => {
    expect(visible('a\u200db')).toBe('a\\u{200d}b');
    expect(visible('😀\u200d')).toBe('😀\\u{200d}');
    expect(visible('\u200d😀')).toBe('\\u{200d}😀');
    expect(visible('👨\u200d👩')).toBe('👨\u200d👩');
  });

  it('turns the attacks of issue 9 into inert visible text', () => {
    expect(visible('\x1b]52;c;ZXZpbA==\x07')).toBe('\\u{1b}]52;c;ZXZpbA==\\u{7}');
    expect(visible('\x1b[2J')).toBe('\\u{1b}[2J');
    expect(visible('ok\r\x1b[2K verified')).toBe('ok\\u{d}\\u{1b}[2K verified');
    expect(visible('x\n source: evil')).toBe('x\\u{a} source: evil');
    expect(visible('trusted.wasm\u202Eexe.txt')).toBe('trusted.wasm\\u{202e}exe.txt');
  });
});

describe('cutText and safeText', () => {
  it('keep text that fits as it is, and say nothing was cut', () => {
    expect(cutText('abcdef', 6)).toEqual({ text: 'abcdef', cut: false });
    expect(cutText('', 1)).toEqual({ text: '', cut: false });
    expect(safeText('abc')).toBe('abc');
  });

  it('cut longer text to at most max units, ending in the mark, and say so', () => {
    const r = cutText('abcdefgh', 5);
    expect(r).toEqual({ text: `abcd${CUT_MARK}`, cut: true });
    expect(r.text.length).toBeLessThanOrEqual(5);
    expect(() => cutText('abc', 0)).toThrow(RangeError);
  });

  it('never cut inside a grapheme: an accent, a surrogate pair, a flag, a ZWJ family, a skin tone, jamo', () => {
    const samples = ['e\u0301', '😀', '🇫🇷', '👨‍👩‍👧', '👍🏽', '\u1100\u1161\u11a8', 'a\u0308\u0301'];
    for (const g of samples) {
      const s = `ab${g}${g}cd`;
      for (let max = 1; max <= s.length + 1; max++) {
        const { text, cut } = cutText(s, max);
        expect(text.length, `${g} at ${max}`).toBeLessThanOrEqual(max);
        expect(cut).toBe(s.length > max);
        const body = cut ? text.slice(0, -CUT_MARK.length) : text;
        expect(s.startsWith(body)).toBe(true);
        // What is kept ends on a boundary: it is a whole number of graphemes of s.
        const segs = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].map((x) => x.segment);
        let acc = '';
        const prefixes = new Set([acc, ...segs.map((x) => (acc += x))]);
        expect(prefixes.has(body), `${JSON.stringify(body)} is a grapheme prefix`).toBe(true);
        expect(visible(text)).toBe(text); // no lone surrogate left behind
      }
    }
  });

  it('safeText escapes first and never splits an escape', () => {
    const s = 'ab\u202Ecd\u202Eef';
    expect(safeText(s)).toBe('ab\\u{202e}cd\\u{202e}ef');
    for (let max = 1; max < 30; max++) {
      const t = safeText(s, max);
      expect(t.length).toBeLessThanOrEqual(max);
      expect(t).not.toMatch(/\\u\{[0-9a-f]*$|\\u\{[0-9a-f]*…/);
      expect(t).not.toContain('\u202e');
    }
  });

  it('safeText is the cut of the escaped graphemes, for any mix of tricky characters and any length', () => {
    const pool = ['a', 'Z', ' ', '\u202e', '\u200d', '\ufe0f', '\u{1f3fd}', '😀', '👨', '👩', 'e', '\u0301', '\u{1f1eb}', '\u{1f1f7}', '\n', '\x1b', '\ud800', '\udc00', '\u2028', '\u{e0001}', '\ufdd0', '\u1100', '\u1161', '…'];
    let x = 7;
    for (let n = 0; n < 400; n++) {
      let s = '';
      for (let i = 0; i < n % 13; i++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        s += pool[x % pool.length];
      }
      for (let max = 1; max <= s.length * 9 + 2; max++) {
        expect(safeText(s, max), `${JSON.stringify(s)} at ${max}`).toBe(cutText(s, max, visible).text);
      }
    }
  });

  it('a text made only of one huge grapheme is cut to the mark alone', () => {
    expect(cutText(`e${'\u0301'.repeat(500)}`, 10)).toEqual({ text: CUT_MARK, cut: true });
  });
});

describe('jsonSafe', () => {
  it('parses back to exactly the same data, with no unsafe character left raw, indentation kept', () => {
    const all = Object.values(UNSAFE).flat().map((cp) => String.fromCodePoint(cp)).join('') + '\ud800x\udc00';
    const value = { all, safe: SAFE, nested: [{ k: 'a\u202eb\u2028c\u009b' }] };
    const text = jsonSafe(JSON.stringify(value, null, 2));
    expect(JSON.parse(text)).toEqual(value);
    expect(text.split('\n').length).toBeGreaterThan(5);
    expect(unsafeCharacter(text.replace(/\n/g, ''))).toBe(null);
    expect(text).toContain('"a\\u202eb\\u2028c\\u009b"');
    expect(text).toContain('\\udb40\\udc01'); // a tag character, as its UTF-16 pair
  });
});

describe('the prompt uses the same sanitiser', () => {
  it('promptSafe escapes every class, non-characters and lone surrogates included', () => {
    for (const cp of [...Object.values(UNSAFE).flat(), 0xd800, 0xdfff]) {
      expect(promptSafe(`a${String.fromCodePoint(cp)}b`), cp.toString(16)).toBe(`a${esc(cp)}b`);
    }
    expect(promptSafe('👨‍👩‍👧 ok')).toBe('👨‍👩‍👧 ok');
  });
});
