/**
 * Main's SIMD plain-text check (main/web/plain-simd.ts) answers exactly as `isPlain`
 * (preload/plain-text.ts), which the page relies on: a chunk wrongly marked plain could have an
 * escape skipped.
 */
import { describe, expect, it } from 'vitest';
import { isPlainFast } from '../../main/web/plain-simd.ts';
import { isPlain } from '../../preload/plain-text.ts';
import { prng } from '../helpers/random.ts';

const text = (n: number, offset = 0): Uint8Array => {
  const line = 'The quick brown fox\tjumps over the lazy dog 0123456789\r\n';
  const buf = new Uint8Array(n + offset);
  for (let i = 0; i < n; i++) buf[offset + i] = line.charCodeAt(i % line.length);
  return buf.subarray(offset);
};

describe('isPlainFast', () => {
  it('answers as isPlain for every byte value, at the start, the end, and around each chunk boundary', () => {
    const base = text(200_000);
    expect(isPlainFast(base)).toBe(true);
    for (let b = 0; b < 256; b++) {
      for (const at of [0, 1, 15, 16, 17, 255, 65_535, 65_536, 65_537, 131_071, 199_999]) {
        const c = base.slice();
        c[at] = b;
        expect(isPlainFast(c), `byte ${b} at ${at}`).toBe(isPlain(c));
      }
    }
  });

  it('answers as isPlain at every length and alignment around the small and chunk sizes', () => {
    for (const n of [0, 1, 15, 16, 17, 255, 256, 257, 271, 65_536 + 7, 65_536 * 2 + 15]) {
      for (let offset = 0; offset < 4; offset++) {
        const t = text(n, offset);
        expect(isPlainFast(t)).toBe(true);
        if (n === 0) continue;
        // The last byte (in the padded tail's block) a control byte, then the first.
        const last = t.slice();
        last[n - 1] = 0x1b;
        expect(isPlainFast(last)).toBe(false);
        const first = t.slice();
        first[0] = 0x07;
        expect(isPlainFast(first)).toBe(false);
      }
    }
  });

  it('answers as isPlain on random bytes and on random text with rare control bytes', () => {
    const r = prng(11);
    for (let k = 0; k < 200; k++) {
      const n = 256 + Math.floor(r() * 5000);
      const t = text(n, k & 3).slice();
      if (k % 2 === 0) t[Math.floor(r() * n)] = Math.floor(r() * 256);
      else for (let i = 0; i < n; i++) t[i] = 0x20 + Math.floor(r() * 0x5f) + (r() < 0.0005 ? 0x60 : 0);
      expect(isPlainFast(t)).toBe(isPlain(t));
    }
  });
});
