/** The CLI's denial hints (issue 9, point 6): a burst, then one a second, the rest counted. */
import { expect, test } from 'vitest';
import { HINT_BURST, HINT_INTERVAL_MS, limitHints } from '../../main/cli/hint-limit.ts';

test('a flood of hints prints the burst, then one per interval, and counts what it left out', () => {
  let clock = 0;
  const printed: number[] = [];
  const hints = limitHints((n: number) => printed.push(n), () => clock);
  for (let i = 0; i < 100_000; i++) {
    hints.say(i);
    clock += 0.1; // 10,000 s of denials at 10 per millisecond
  }
  expect(printed.slice(0, HINT_BURST)).toEqual([0, 1, 2, 3, 4].slice(0, HINT_BURST));
  const seconds = (100_000 * 0.1) / HINT_INTERVAL_MS;
  expect(printed.length).toBeLessThanOrEqual(HINT_BURST + seconds + 1);
  expect(printed.length).toBeGreaterThanOrEqual(seconds - 1);
  expect(printed.length + hints.skipped).toBe(100_000);
});

test('hints spaced wider than the interval are all printed', () => {
  let clock = 0;
  const hints = limitHints(() => undefined, () => clock);
  for (let i = 0; i < 50; i++) {
    hints.say(i);
    clock += HINT_INTERVAL_MS;
  }
  expect(hints.skipped).toBe(0);
});
