/**
 * The library commands go through the core (main/cli/core.ts → main/api, issue 10.1): the values
 * typed on the command line meet the same schemas as the window's requests, a refusal is a usage
 * error (exit 2, the contract's message, the command's usage line) and changes nothing.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exitCodes } from '../../main/cli/exit-codes.ts';
import { ERROR_CODES } from '../../main/shared/coded-error.ts';
import { cli } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { librarySnapshot, withLibrary } from '../helpers/library.ts';
import { tempDir } from '../helpers/temp.ts';

let home: string;

beforeAll(async () => {
  home = tempDir('terrarium-core-');
  expect((await cli(home, ['install', fixture('proc.wasm')])).code).toBe(0);
});

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

it.each([
  ['install', ['install', fixture('stdio.wasm'), '--name', 'n'.repeat(101)], /^terrarium: name must be a string of at most 100 characters/],
  ['grant', ['grant', 'proc', '--env', `${'B'.repeat(300)}=1`], /^terrarium: grants\[0\]\.name must be a string of at most 256 characters/],
])('the contract refuses a value given to %s: exit 2, its message, the usage line, nothing changed', async (command, args, match) => {
  const before = withLibrary(home, librarySnapshot);
  const r = await cli(home, args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const [first, second] = r.stderr.split('\n');
  expect(first).toMatch(match);
  expect(second).toMatch(new RegExp(`^usage: terrarium ${command} `));
  expect(withLibrary(home, librarySnapshot)).toBe(before);
});

it('every error code has an exit code, and the codes people cause are not internal', () => {
  expect(Object.keys(exitCodes()).sort()).toEqual([...ERROR_CODES].sort());
  expect(exitCodes().usage).toBe(2);
  expect(exitCodes()['bad-request']).toBe(2);
  expect(exitCodes()['not-found']).toBe(1);
  expect(exitCodes()['cannot-load']).toBe(125);
  expect(exitCodes().internal).toBe(70);
});
