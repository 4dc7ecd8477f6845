/**
 * `terrarium run APP` for an installed component whose stored output for the WASI 0.2 host is
 * missing (a transpiler upgrade renames it, or it was removed): the first run transpiles it and
 * stores it with the app's record, as install does; the second run reads it (issue 15).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import type { AppRecord } from '../../main/library/types.ts';
import { cli, cliJson } from '../helpers/cli.ts';
import { cleanup, fixture, tempDir } from '../helpers/library.ts';

afterEach(cleanup);

const sha = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

test('the first run of a component missing its stored output stores it; the second does not write it again', async () => {
  const home = tempDir('terrarium-home-');
  const install = await cli(home, ['install', '--name', 'notes', fixture('components/notes.component.wasm')]);
  expect(install.code, install.stderr).toBe(0);
  const installed = await cliJson<AppRecord>(home, ['info', '--json', 'notes']);
  const t = installed.inspection.component?.transpiled;
  const stored = `${home}/store/${installed.sha256}.${t!.transpiler}.p2`;
  fs.rmSync(stored);

  const first = await cli(home, ['run', 'notes', '--', 'stdin']);
  expect([first.code, first.stdout]).toEqual([0, 'stdin 0 bytes\n']);
  const after = await cliJson<AppRecord>(home, ['info', '--json', 'notes']);
  expect(after.inspection.component?.transpiled).toMatchObject({ transpiler: t!.transpiler, sha256: sha(fs.readFileSync(stored)) });
  const made = fs.statSync(stored, { bigint: true });

  const second = await cli(home, ['run', 'notes', '--', 'stdin']);
  expect([second.code, second.stdout]).toEqual([0, 'stdin 0 bytes\n']);
  const again = fs.statSync(stored, { bigint: true });
  expect([again.ino, again.mtimeNs]).toEqual([made.ino, made.mtimeNs]);
});
