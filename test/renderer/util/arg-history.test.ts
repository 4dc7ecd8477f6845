/** Per-run arguments read back from the run history (issue 13.1): defaults taken off, newest first, each once. */
import { describe, expect, test } from 'vitest';
import type { AppDetails } from '../../../preload/api.ts';
import { argumentHistory, defaultArguments } from '../../../renderer/lib/util/arg-history.ts';

const run = (id: number, args: string[]): AppDetails['history'][number] => ({
  id, args, startedAt: '2026-01-01T00:00:00Z', endedAt: null, outcome: 'exit', exitCode: 0, bytesOut: 0,
});

describe('argumentHistory', () => {
  test('takes the default arguments off, newest first, each text once, runs given none left out', () => {
    const h = [run(4, ['--base', 'b']), run(3, ['--base', 'a', 'two words']), run(2, ['--base', 'b']), run(1, ['--base'])];
    expect(argumentHistory(h, ['--base'])).toEqual(['b', "a 'two words'"]);
  });

  test('a run from before the defaults changed keeps all its arguments', () => {
    expect(argumentHistory([run(2, ['--new', 'x']), run(1, ['--old', 'y'])], ['--new'])).toEqual(['x', '--old y']);
  });

  test('no history, nothing to offer', () => {
    expect(argumentHistory([], ['--base'])).toEqual([]);
  });
});

describe('defaultArguments', () => {
  test('the args grant, or none', () => {
    expect(defaultArguments([{ kind: 'args', args: ['-v'] } as never])).toEqual(['-v']);
    expect(defaultArguments([])).toEqual([]);
  });
});
