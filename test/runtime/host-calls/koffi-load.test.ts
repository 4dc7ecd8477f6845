/**
 * Loading koffi (host-calls/koffi-load.ts): straight from its native module where npm installs
 * it, with what the native calls use, opened without `require` (no CommonJS loader set up for it);
 * through koffi's own loader when that module is not there.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { requireKoffi } from '../../../main/runtime/host-calls/koffi-load.ts';

type K = { version: string; load: (name: string) => unknown; errno: () => number };
const real = createRequire(import.meta.url);
const koffi = real('koffi') as K;
const installed = process.platform === 'linux' || process.platform === 'darwin';

/** `real`, with `resolve.paths` answering `paths` and every id `require`d recorded. */
function recording(paths: string[] | null, asked: string[]): NodeJS.Require {
  return Object.assign((id: string) => {
    asked.push(id);
    return real(id);
  }, {
    ...real,
    resolve: Object.assign((id: string) => real.resolve(id), { paths: () => paths }),
  }) as unknown as NodeJS.Require;
}

test.runIf(installed)('the native module alone, the version koffi expects, with load and errno, not through require', () => {
  const asked: string[] = [];
  const k = requireKoffi<K>(recording(real.resolve.paths('koffi'), asked));
  expect(k).not.toBe(koffi);
  expect(k.version).toBe(koffi.version);
  expect(typeof k.load).toBe('function');
  expect(typeof k.errno).toBe('function');
  expect(asked).toEqual([]);
});

test('koffi\'s own loader when the native module is not where npm puts it', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-koffi-'));
  try {
    const asked: string[] = [];
    expect(requireKoffi<K>(recording([empty], asked))).toBe(koffi);
    expect(asked).toEqual(['koffi']);
    expect(requireKoffi<K>(recording(null, []))).toBe(koffi);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
