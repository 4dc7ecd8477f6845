/**
 * Loading koffi (host-calls/koffi-load.ts): straight from its native module where npm installs
 * it, with what the native calls use; through koffi's own loader when that module is not there.
 */
import { createRequire } from 'node:module';
import { expect, test } from 'vitest';
import { requireKoffi } from '../../../main/runtime/host-calls/koffi-load.ts';

type K = { version: string; load: (name: string) => unknown; errno: () => number };
const real = createRequire(import.meta.url);
const koffi = real('koffi') as K;
const installed = process.platform === 'linux' || process.platform === 'darwin';

test.runIf(installed)('the native module alone, the version koffi expects, with load and errno', () => {
  const k = requireKoffi<K>(real);
  expect(k).not.toBe(koffi);
  expect(k.version).toBe(koffi.version);
  expect(typeof k.load).toBe('function');
  expect(typeof k.errno).toBe('function');
});

test('koffi\'s own loader when the native module is not where npm puts it', () => {
  const elsewhere = Object.assign((id: string) => real(id), {
    ...real,
    resolve: Object.assign((id: string) => {
      if (id.startsWith('@koromix/')) throw new Error(`Cannot find module '${id}'`);
      return real.resolve(id);
    }, { paths: real.resolve.paths }),
  }) as unknown as NodeJS.Require;
  expect(requireKoffi<K>(elsewhere)).toBe(koffi);
});
