import { describe, expect, it } from 'vitest';
import { isoTime } from '../../main/shared/iso-time.ts';

const MAX = 8.64e15; // the largest time a Date holds, either way
const YEAR0 = Date.parse('0000-01-01T00:00:00.000Z'); // Date.UTC reads years 0-99 as 1900-1999
const YEAR10000 = Date.UTC(10000, 0, 1);

/** What isoTime must give: toISOString's string, or its error. */
function expected(ms: number): string | { error: string } {
  try { return new Date(ms).toISOString(); } catch (err) { return { error: (err as Error).name }; }
}
function actual(ms: number): string | { error: string } {
  try { return isoTime(ms); } catch (err) { return { error: (err as Error).name }; }
}

/** A small seeded generator (mulberry32), so a failure can be run again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('isoTime', () => {
  it('is toISOString at the edges: the epoch, years 0 and 9999, the largest times, invalid times', () => {
    expect(new Date(YEAR0).toISOString()).toBe('0000-01-01T00:00:00.000Z');
    const edges = [
      0, -0, 1, -1, 999, 1000, 59_999, 60_000, 86_399_999, 86_400_000, -86_400_000, 1.5, -0.5, -1.5, 0.999,
      Date.UTC(1970, 0, 1, 0, 0, 0, 1), Date.UTC(1999, 11, 31, 23, 59, 59, 999), Date.UTC(2000, 1, 29, 12), Date.UTC(2100, 1, 28),
      Date.UTC(2026, 11, 7, 19, 21, 46, 123), Date.parse('0009-08-07T06:05:04.003Z'), Date.parse('0099-12-31T23:59:59.999Z'), Date.UTC(999, 11, 31, 23, 59, 59, 999),
      YEAR0, YEAR0 - 1, YEAR0 + 1, YEAR10000, YEAR10000 - 1, YEAR10000 + 1,
      MAX, -MAX, MAX - 1, -MAX + 1, MAX + 1, -MAX - 1,
      Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 2 ** 53, -(2 ** 53),
    ];
    for (const ms of edges) expect(actual(ms), String(ms)).toEqual(expected(ms));
    expect(actual(Number.NaN)).toEqual({ error: 'RangeError' });
  });

  it('is toISOString over many times within years 0-9999 and beyond', () => {
    const next = random(14);
    const count = 200_000;
    let checked = 0;
    for (let i = 0; i < count; i++) {
      const r = next();
      // Whole milliseconds over the whole range, near today, and fractions.
      const ms = i % 3 === 0 ? Math.floor((r * 2 - 1) * MAX)
        : i % 3 === 1 ? Math.floor(YEAR0 + r * (YEAR10000 - YEAR0))
          : Date.UTC(2026, 0, 1) + (r - 0.5) * 1e12;
      const want = expected(ms);
      const got = actual(ms);
      if (got !== want) expect(got, String(ms)).toEqual(want);
      checked++;
    }
    expect(checked).toBe(count);
  });

  it('is toISOString at every month and day boundary of some years', () => {
    for (const year of [0, 1, 4, 100, 400, 1600, 1900, 1969, 1970, 2000, 2024, 2025, 9996, 9999]) {
      for (let month = 0; month < 12; month++) {
        for (const day of [1, 28, 29, 30, 31]) {
          const at = new Date(Date.UTC(2000, month, day));
          at.setUTCFullYear(year);
          for (const ms of [at.getTime(), at.getTime() - 1, at.getTime() + 86_399_999]) expect(actual(ms)).toEqual(expected(ms));
        }
      }
    }
  });
});
