/**
 * The terminal's remembered ASCII widths (renderer/lib/terminal/unicode.ts) answer exactly as the
 * shared column rule (preload/columns.ts) does, after every preceding state, and pass everything
 * else through to it.
 */
import { describe, expect, it } from 'vitest';
import { charProperties, codePointColumns } from '../../../preload/columns.ts';
import { fastCharProperties, fastColumns } from '../../../renderer/lib/terminal/unicode.ts';

describe('the terminal\'s remembered widths', () => {
  it('give the shared rule\'s answer for every ASCII code point after every preceding state, asked once and again', () => {
    for (let round = 0; round < 2; round++) {
      for (let cp = 0; cp < 0x80; cp++) {
        expect(fastColumns(cp)).toBe(codePointColumns(cp));
        for (let preceding = 0; preceding < 32; preceding++) expect([cp, preceding, fastCharProperties(cp, preceding)]).toEqual([cp, preceding, charProperties(cp, preceding)]);
      }
    }
  });

  it('pass other code points and states through (wide, zero-width, joining)', () => {
    const zwj = charProperties(0x200d, charProperties(0x1f468, 0));
    for (const [cp, preceding] of [[0x2615, 0], [0x0301, 2], [0x1f3fd, charProperties(0x1f44d, 0)], [0x1f1eb, charProperties(0x1f1eb, 0)], [0x41, zwj], [0x41, 99], [0xe0101, 0]] as const) {
      expect(fastCharProperties(cp, preceding)).toBe(charProperties(cp, preceding));
      expect(fastColumns(cp)).toBe(codePointColumns(cp));
    }
    // A letter after a zero-width joiner joins the cell before it: the table keeps that apart.
    expect(fastCharProperties(0x41, zwj) & 1).toBe(1);
    expect(fastCharProperties(0x41, 0) & 1).toBe(0);
  });
});
