/**
 * "Run once" (DESIGN §7): a reviewed module runs without being installed; the catalog stays as it
 * was and only the run-once log remembers it.
 */
import { afterEach, expect, test } from 'vitest';
import { type Api, createApi } from '../../main/api/index.ts';
import { Library } from '../../main/library/library.ts';
import type { Events, RunExit, SessionInfo } from '../../preload/api.ts';
import { fixture, ok, tmp } from '../helpers/api-harness.ts';

const cores: Api[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});

test('runs a reviewed module without adding it, and logs only that it ran', async () => {
  const home = tmp('terrarium-once-home-');
  const api = createApi({ transport: 'web', home });
  cores.push(api);
  const exits = new Map<string, RunExit>();
  api.onEvent(<K extends keyof Events>(name: K, payload: Events[K]) => {
    if (name === 'run.exit') exits.set((payload as RunExit).runId, payload as RunExit);
  });
  const p = await ok<{ previewId: string }>(api, 'install.preview', { source: { kind: 'file', path: fixture('ask_probe') } });
  const s = await ok<SessionInfo>(api, 'install.runOnce', { previewId: p.previewId, cols: 80, rows: 24 });
  expect(s.appName).toBe('ask_probe');
  const end = Date.now() + 20_000;
  while (!exits.has(s.runId) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(exits.get(s.runId)).toMatchObject({ outcome: 'exit', exitCode: 0 });
  expect(await ok(api, 'apps.list', {})).toEqual([]);
  // The preview was used up: it cannot be installed or run again without a new review.
  expect(await api.handle('install.confirm', { previewId: p.previewId })).toMatchObject({ ok: false, code: 'no-preview' });
  await api.close();
  cores.length = 0;
  const lib = Library.open(home);
  expect(lib.onceLog()).toMatchObject([{ name: 'ask_probe', outcome: 'exit', exitCode: 0, decisions: [] }]);
  expect(lib.list()).toEqual([]);
  lib.close();
});
