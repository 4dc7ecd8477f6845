/**
 * main/compile-cache.js `startKind`: the kind of start whose script code cache a command uses,
 * read from its words as main/cli/parse.ts reads `run`'s (options before the target).
 */
import { expect, test } from 'vitest';
import { startKind } from '../../main/compile-cache.js';

test('a module file is a module file whatever options come before it', () => {
  expect(startKind(['run', 'hello.wasm'])).toBe('run-file');
  expect(startKind(['run', './tool'])).toBe('run-file');
  expect(startKind(['run', '--env', 'A=1', '--timeout=5', 'prog.wasm', '--dir', 'x'])).toBe('run-file');
  expect(startKind(['run', '--memory-max', '64', '--', 'prog.wasm'])).toBe('run-file');
  expect(startKind(['run', '--timeout', '5', 'tool'])).toBe('run-file'); // an app takes no options: a usage error
});

test('a module file given folders has a kind of its own: only it can reach the file path', () => {
  expect(startKind(['run', '--dir', '/tmp/x::/data', 'prog.wasm', '--', '/data'])).toBe('run-dirs');
  expect(startKind(['run', '--env', 'A=1', '--dir=/tmp/x::/data', '--timeout', '5', 'prog.wasm'])).toBe('run-dirs');
  expect(startKind(['run', '--env', '--dir', 'prog.wasm'])).toBe('run-file'); // --dir as --env's value
  expect(startKind(['run', 'prog.wasm', '--dir', 'x'])).toBe('run-file'); // the app's own words
});

test('an installed app, and every other command', () => {
  expect(startKind(['run', 'tool', '--dir', 'x.wasm'])).toBe('run-app'); // the app's own words
  expect(startKind(['run', '--', 'tool'])).toBe('run-app');
  expect(startKind(['run', '--', '-tool'])).toBe('run-app');
  expect(startKind(['run'])).toBe('run-app');
  expect(startKind(['list'])).toBe('other');
  expect(startKind([])).toBe('other');
});
