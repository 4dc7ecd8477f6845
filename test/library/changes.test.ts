/**
 * The change signal behind cross-process revocation (library/changes.ts): a library hears of a
 * revocation committed through another connection on the same folder; where the folder cannot be
 * watched, the data_version fallback still hears it within a second.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { watchChanges } from '../../main/library/changes.ts';
import { Library } from '../../main/library/library.ts';
import { fixture } from '../helpers/paths.ts';
import { tempDir } from '../helpers/temp.ts';

const open: Library[] = [];
const homes: string[] = [];
afterEach(() => {
  for (const l of open.splice(0)) l.close();
  for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
});

async function twoLibraries(): Promise<{ a: Library; b: Library; appId: string }> {
  const home = tempDir('terrarium-changes-');
  homes.push(home);
  const a = Library.open(home);
  const b = Library.open(home);
  open.push(a, b);
  const appId = (await a.install({ kind: 'file', path: fixture('stdio.wasm') })).app.id;
  return { a, b, appId };
}

const heard = (subscribe: (f: () => void) => void, ms: number): Promise<number> => new Promise((resolve, reject) => {
  const start = performance.now();
  const timer = setTimeout(() => reject(new Error(`nothing heard within ${ms} ms`)), ms);
  subscribe(() => {
    clearTimeout(timer);
    resolve(performance.now() - start);
  });
});

test('a revocation through another connection is heard, and the revision tells which app', async () => {
  const { a, b, appId } = await twoLibraries();
  const before = a.revision(appId);
  let fired = 0;
  const stop = a.onChange(() => fired++);
  const first = heard((f) => a.onChange(f), 1000);
  b.denyAlways(appId, '/secret');
  await first;
  expect(a.revision(appId)).toBe(before + 1);
  stop();
  const n = fired;
  b.reset(appId);
  await heard((f) => a.onChange(f), 1000);
  expect(fired).toBe(n); // unsubscribed
});

test('without a watch, the data_version fallback hears a commit from another connection within a second', async () => {
  const { a, b, appId } = await twoLibraries();
  const logs: string[] = [];
  let resolveHeard!: () => void;
  const got = new Promise<void>((r) => (resolveHeard = r));
  const missing = path.join(a.home, 'no-such-folder');
  const stop = watchChanges(missing, a.db, () => resolveHeard(), (m) => logs.push(m));
  try {
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/cannot watch .*no-such-folder.*every 250 ms/);
    const start = performance.now();
    b.revoke(appId, [{ kind: 'args' }]);
    await got;
    expect(performance.now() - start).toBeLessThan(1000);
  } finally {
    stop();
  }
});
