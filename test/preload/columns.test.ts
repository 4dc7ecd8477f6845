/**
 * The one column rule shared by the line editor and the window's terminal: grapheme clusters from
 * `Intl.Segmenter`, widths from the East Asian Width table, joined characters widening one cell.
 */
import { describe, expect, test } from 'vitest';
import { charProperties, codePointColumns, graphemeColumns, graphemes, textColumns } from '../../preload/columns.ts';

describe('graphemes', () => {
  test.each([
    ['a👍🏽b', ['a', '👍🏽', 'b']],
    ['cafe\u0301', ['c', 'a', 'f', 'e\u0301']],
    ['👨\u200d👩\u200d👧!', ['👨\u200d👩\u200d👧', '!']],
    ['🇫🇷🇩🇪', ['🇫🇷', '🇩🇪']],
    ['', []],
  ])('%j', (text, want) => expect(graphemes(text)).toEqual(want));
});

describe('columns', () => {
  test.each([
    ['a', 1], ['☕', 2], ['字', 2], ['😀', 2], ['👍🏽', 2], ['e\u0301', 1], ['👨\u200d👩\u200d👧', 2],
    ['🇫🇷', 2], ['❤\ufe0f', 2], ['❤', 1], ['ｱ', 1], ['Ａ', 2], ['\u0301', 0],
  ])('%j takes %i', (g, n) => expect(graphemeColumns(g)).toBe(n));

  test('a run of text adds its graphemes', () => {
    expect(textColumns(graphemes('a☕b👍🏽'))).toBe(6);
  });

  test('code points on their own', () => {
    expect([0x61, 0x2615, 0x301, 0x200d, 0xfe0f, 0x1f44d].map(codePointColumns)).toEqual([1, 2, 0, 0, 0, 2]);
  });

  test('packed like xterm.js: state << 3 | width << 1 | joins', () => {
    const thumb = charProperties(0x1f44d, 0);
    expect(thumb).toBe(2 << 1);
    expect(charProperties(0x1f3fd, thumb)).toBe((2 << 1) | 1); // the modifier joins, the cell stays 2 wide
    expect(charProperties(0x301, charProperties(0x65, 0))).toBe((1 << 1) | 1);
    expect(charProperties(0x301, 0) & 1).toBe(0); // nothing before it to join
  });
});
