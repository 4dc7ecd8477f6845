/**
 * main/compile-cache.js `startKind`: the kind of start whose script code cache a command uses,
 * read from its words as main/cli/parse.ts reads `run`'s (options before the target).
 */
import { expect, test } from 'vitest';
import { startKind } from '../../main/compile-cache.js';

test('a module file is a module file whatever options come before it', () => {
  expect(startKind(['run', 'hello.wasm'])).toBe('run-file');
  expect(startKind(['run', './tool'])).toBe('run-file');
  expect(startKind(['run', '--dir', '/tmp/x::/data', 'prog.wasm', '--', '/data'])).toBe('run-file');
  expect(startKind(['run', '--dir=/tmp/x::/data', '--env', 'A=1', '--timeout', '5', 'prog.wasm'])).toBe('run-file');
  expect(startKind(['run', '--memory-max', '64', '--', 'prog.wasm'])).toBe('run-file');
  // An app takes no options (a usage error): a word like one is not taken for the target.
  expect(startKind(['run', '--dir', 'tool', 'prog.wasm'])).toBe('run-file');
});

test('an installed app, and every other command', () => {
  expect(startKind(['run', 'tool', '--dir', 'x.wasm'])).toBe('run-app'); // the app's own words
  expect(startKind(['run', '--', 'tool'])).toBe('run-app');
  expect(startKind(['run', '--', '-tool'])).toBe('run-app');
  expect(startKind(['run'])).toBe('run-app');
  expect(startKind(['list'])).toBe('other');
  expect(startKind([])).toBe('other');
});
