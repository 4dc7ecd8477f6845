/** A reloaded window's runs (issue 13.5): bounded output per run, the last finished runs kept, closed tabs let go. */
import { expect, test } from 'vitest';
import { Scrollback } from '../../main/launcher/scrollback.ts';

const info = (runId: string) => ({ runId, runNumber: null, appId: 'a', appName: 'app', args: [], startedAt: new Date(0).toISOString() });
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const exit = (runId: string) => ({ runId, outcome: 'exit' as const, exitCode: 0, message: 'exited with code 0' });

test('keeps the newest output up to the bound and counts what it dropped', () => {
  const s = new Scrollback(10, 5);
  s.begin(info('r'));
  s.append('r', bytes('0123456'));
  s.append('r', bytes('789ab'));
  s.append('r', bytes('cd'));
  const [r] = s.recent();
  expect(text(r!.output)).toBe('456789abcd');
  expect(r!.cut).toBe(4);
  // One write larger than the bound keeps its end.
  s.append('r', bytes('ABCDEFGHIJKLMNOP'));
  expect(text(s.recent()[0]!.output)).toBe('GHIJKLMNOP');
  expect(s.recent()[0]!.cut).toBe(4 + 10 + 6);
});

test('a copy is kept (the caller may reuse its buffer), and output of unknown runs is ignored', () => {
  const s = new Scrollback();
  s.begin(info('r'));
  const b = bytes('abc');
  s.append('r', b);
  b.fill(0);
  s.append('other', bytes('x'));
  expect(s.recent().map((r) => [r.runId, text(r.output)])).toEqual([['r', 'abc']]);
});

test('finished runs beyond the bound go, oldest first; a closed tab is let go, a live one when it ends', () => {
  const s = new Scrollback(100, 2);
  for (const id of ['a', 'b', 'c']) {
    s.begin(info(id));
    s.end(id, exit(id));
  }
  expect(s.recent().map((r) => r.runId)).toEqual(['b', 'c']);
  expect(s.recent()[0]!.exit).toEqual(exit('b'));
  s.forget('b');
  s.begin(info('live'));
  expect(s.recent().map((r) => [r.runId, r.exit === null])).toEqual([['c', false], ['live', true]]);
  s.forget('live');
  expect(s.recent().map((r) => r.runId)).toEqual(['c']);
  s.end('live', exit('live'));
  expect(s.recent().map((r) => r.runId)).toEqual(['c']);
});

test('byte-at-a-time output is kept in order', () => {
  const s = new Scrollback(64 * 1024);
  s.begin(info('r'));
  let expected = '';
  for (let i = 0; i < 100_000; i++) {
    const c = String.fromCharCode(97 + (i % 26));
    s.append('r', bytes(c));
    expected += c;
  }
  const [r] = s.recent();
  expect(text(r!.output)).toBe(expected.slice(-64 * 1024));
  expect(r!.cut).toBe(100_000 - 64 * 1024);
});

test('writes of every size around the bound, growing and wrapping, keep exactly the newest bytes', () => {
  const limit = 10_000;
  const s = new Scrollback(limit);
  s.begin(info('r'));
  let all = '';
  let n = 0;
  for (const size of [1, 3, 4095, 4096, 4097, 9999, 10_000, 10_001, 7, 5000, 5000, 123, 20_000, 1, 9_998]) {
    const chunk = Array.from({ length: size }, () => String.fromCharCode(97 + (n++ % 26))).join('');
    s.append('r', bytes(chunk));
    all += chunk;
    const [r] = s.recent();
    expect(text(r!.output)).toBe(all.slice(-limit));
    expect(r!.cut).toBe(Math.max(0, all.length - limit));
  }
});
