/**
 * A change to an app's grants committed after its run's policy was read but before the run follows
 * revocations (launch.ts `prepareRun` → `follow`; the CLI awaits the module in between) reaches the
 * run at once: no later change need come to announce it (review finding, session 10). And a run of
 * an app uninstalled meanwhile ends as `not-found`, not as SQLite's foreign-key error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { prepareRun } from '../../main/launcher/launch.ts';
import { Library } from '../../main/library/library.ts';
import type { RunHandle } from '../../main/runtime/run.ts';
import { fixture } from '../helpers/paths.ts';
import { realTempDir, removeTempDirs } from '../helpers/temp.ts';

afterEach(removeTempDirs);

async function installedWithFolder(): Promise<{ lib: Library; home: string; name: string; dir: string }> {
  const root = realTempDir('revoked-before-follow');
  const home = path.join(root, 'home');
  const lib = Library.open(home);
  const { app } = await lib.install({ kind: 'file', path: fixture('stdio.wasm') });
  const dir = path.join(root, 'data');
  fs.mkdirSync(dir);
  lib.grant(app.name, [{ kind: 'folder', host: dir, guest: '/data', access: 'read-write' }]);
  return { lib, home, name: app.name, dir };
}

/** A run's handle that records what `follow` takes from it, ending when `end` is called. */
function recordingHandle(): { handle: RunHandle; revoked: number[]; end: () => void } {
  let end = (): void => undefined;
  const revoked: number[] = [];
  const handle = { done: new Promise<void>((r) => (end = r)), revoke: (i: number) => revoked.push(i), forgetAnswers: () => undefined } as unknown as RunHandle;
  return { handle, revoked, end };
}

test('a folder revoked by another process between the run\'s policy and its follow is taken from the run at once', async () => {
  const { lib, home, name, dir } = await installedWithFolder();
  const run = prepareRun(lib, name, []);
  run.module.catch(() => undefined);
  const folder = run.preopens.findIndex((p) => p.hostPath === dir);
  expect(folder).toBeGreaterThanOrEqual(0);
  // Another process revokes it now (its own connection, as `terrarium revoke` would).
  const other = Library.open(home);
  expect(other.revoke(name, [{ kind: 'folder', key: '/data' }])).toBe(1);
  other.close();
  const { handle, revoked, end } = recordingHandle();
  run.follow(handle, run.preopens);
  expect(revoked).toEqual([folder]);
  end();
  lib.close();
});

test('nothing is taken when nothing changed between the policy and the follow', async () => {
  const { lib, name } = await installedWithFolder();
  const run = prepareRun(lib, name, []);
  run.module.catch(() => undefined);
  const { handle, revoked, end } = recordingHandle();
  run.follow(handle, run.preopens);
  expect(revoked).toEqual([]);
  end();
  lib.close();
});

test('a run of an app uninstalled after it was looked up is refused as not-found', async () => {
  const { lib, home, name } = await installedWithFolder();
  const app = lib.app(name);
  const other = Library.open(home);
  other.uninstall(name);
  other.close();
  expect(() => lib.runStarted(app, [], [])).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringContaining('uninstalled') }));
  lib.close();
});
