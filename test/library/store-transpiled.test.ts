/**
 * Keeping a component's output for the WASI 0.2 host (issue 15): `Library.storeTranspiled` (a run
 * had to transpile) and install write it the same way and record it with every app of that module,
 * so no app is left naming an output the store no longer holds (each would transpile on every run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, expect, test } from 'vitest';
import { transpiledPath } from '../../main/library/transpiled-store.ts';
import { stopTranspiler, transpileInWorker } from '../../main/wasm/transpile.ts';
import { cleanup, fixture, freshLibrary, sha256, tempDir } from '../helpers/library.ts';

afterEach(cleanup);
afterAll(stopTranspiler);

const NOTES = fixture('components/notes.component.wasm');

/** What a transpiler before this one left: its record, and no output under this one's name. */
const OLD = { transpiler: 'jco-transpile-0.14', sha256: '0'.repeat(64), size: 1, ms: 1 };

test('an output stored after a run is recorded with every app of that module', async () => {
  const { lib } = freshLibrary();
  const copy = path.join(tempDir(), 'other.wasm');
  fs.copyFileSync(NOTES, copy);
  const a = (await lib.install({ kind: 'file', path: NOTES }, { name: 'a' })).app;
  await lib.install({ kind: 'file', path: copy }, { name: 'b' });
  fs.rmSync(transpiledPath(lib.store, a.sha256));
  lib.db.prepare(`UPDATE apps SET inspection = json_set(inspection, '$.component.transpiled', json(?))`).run(JSON.stringify(OLD));
  expect([lib.transpiled(lib.app('a')), lib.transpiled(lib.app('b'))]).toEqual([undefined, undefined]);

  expect(lib.storeTranspiled(a, await transpileInWorker(fs.readFileSync(NOTES)), 42)).toBe(true);
  const stored = fs.readFileSync(transpiledPath(lib.store, a.sha256));
  for (const name of ['a', 'b']) {
    expect(lib.app(name).inspection.component?.transpiled).toEqual({ transpiler: 'jco-transpile-0.15', sha256: sha256(stored), size: stored.length, ms: 42 });
    expect(Object.keys(lib.transpiled(lib.app(name))!)).toContain('component.js');
  }
});

test('reinstalling an unchanged component after a transpiler upgrade records the output it stores', async () => {
  const { lib } = freshLibrary();
  const a = (await lib.install({ kind: 'file', path: NOTES }, { name: 'a' })).app;
  fs.rmSync(transpiledPath(lib.store, a.sha256));
  lib.db.prepare(`UPDATE apps SET inspection = json_set(inspection, '$.component.transpiled', json(?))`).run(JSON.stringify(OLD));
  const again = await lib.install({ kind: 'file', path: NOTES }, { name: 'a' });
  expect(again.action).toBe('unchanged');
  expect(lib.app('a').inspection.component?.transpiled?.transpiler).toBe('jco-transpile-0.15');
  expect(Object.keys(lib.transpiled(lib.app('a'))!)).toContain('component.js');
});

test('an output for a module no app uses any more is not stored', async () => {
  const { lib, home } = freshLibrary();
  const a = (await lib.install({ kind: 'file', path: NOTES }, { name: 'a' })).app;
  const files = lib.transpiled(a)!;
  lib.uninstall('a');
  expect(lib.storeTranspiled(a, files, 1)).toBe(false);
  expect(fs.readdirSync(path.join(home, 'store'))).toEqual([]);
});
