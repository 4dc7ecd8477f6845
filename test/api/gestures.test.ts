/**
 * Grants by gesture and revocation while running (DESIGN §5): a file handed to a run is passed as
 * an argument and usable for that run only, its folder's other files are not; a folder handed to
 * a run is granted for that run (or kept); revoking a grant takes effect at the app's next access.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import type { AppDetails, SessionInfo } from '../../preload/api.ts';
import { fixture, install, ok, recordingCore, tmp, until, useCleanup } from '../helpers/api-harness.ts';

useCleanup();

async function setup() {
  const { api, prompts, output, exits } = recordingCore({ promptTimeoutMs: 2_000 });
  const appId = await install(api, fixture('ask_probe'));
  const dir = fs.realpathSync(tmp('terrarium-gesture-data-'));
  fs.writeFileSync(path.join(dir, 'chosen.txt'), 'chosen');
  fs.writeFileSync(path.join(dir, 'other.txt'), 'other');
  return { api, appId, dir, prompts, output, exits };
}

test('a dropped file is an argument and usable for that run only; its neighbours are not', async () => {
  const { api, appId, dir, prompts, output, exits } = await setup();
  const chosen = path.join(dir, 'chosen.txt');
  const other = path.join(dir, 'other.txt');
  const s = await ok<SessionInfo>(api, 'runs.start', { ref: appId, args: [`read:${chosen}`, `read:${other}`], cols: 80, rows: 24, files: [chosen] });
  expect(s.args.at(-1)).toBe(chosen);
  await until(() => prompts.length === 1, 'the prompt for the neighbour');
  expect(prompts[0]!.path).toBe(other);
  await ok(api, 'prompt.answer', { promptId: prompts[0]!.promptId, answer: 'deny' });
  await until(() => exits.has(s.runId), 'the run to end');
  expect(output.get(s.runId)).toContain(`content ${chosen} chosen`);
  expect(output.get(s.runId)).toContain(`read ${other} errno=2`);
  const d = await ok<AppDetails>(api, 'apps.get', { ref: appId });
  expect(d.grants).toEqual([]);
  expect(d.audit.map((e) => `${e.decision} ${e.path}`).reverse()).toEqual([`allowed ${chosen}`, `denied ${other}`]);
});

test('a dropped folder is granted for that run, or kept when the person says always', async () => {
  const { api, appId, dir, prompts, exits, output } = await setup();
  const once = await ok<SessionInfo>(api, 'runs.start', { ref: appId, args: [`list:${dir}`], cols: 80, rows: 24, folders: [{ path: dir, always: false }] });
  await until(() => exits.has(once.runId), 'the first run');
  expect(output.get(once.runId)).toContain(`list ${dir} ok`);
  expect(prompts).toHaveLength(0);
  expect((await ok<AppDetails>(api, 'apps.get', { ref: appId })).grants).toEqual([]);
  const kept = await ok<SessionInfo>(api, 'runs.start', { ref: appId, args: [`list:${dir}`], cols: 80, rows: 24, folders: [{ path: dir, always: true }] });
  await until(() => exits.has(kept.runId), 'the second run');
  expect((await ok<AppDetails>(api, 'apps.get', { ref: appId })).grants).toMatchObject([{ kind: 'folder', host: dir, access: 'read-write' }]);
});

test('revoking a grant while the app runs denies its next access', async () => {
  const { api, appId, dir, output, exits } = await setup();
  const file = path.join(dir, 'chosen.txt');
  const [grant] = await ok<{ id: number }[]>(api, 'grants.add', { ref: appId, grants: [{ kind: 'folder', host: dir, guest: dir, access: 'read' }] });
  const s = await ok<SessionInfo>(api, 'runs.start', { ref: appId, args: [`read:${file}`, 'wait:', `read:${file}`], cols: 80, rows: 24 });
  await until(() => (output.get(s.runId) ?? '').includes('waiting'), 'the app to wait');
  expect(output.get(s.runId)).toContain(`content ${file} chosen`);
  await ok(api, 'grants.revoke', { ref: appId, ids: [grant!.id] });
  await ok(api, 'runs.input', { runId: s.runId, data: '\r' });
  await until(() => exits.has(s.runId), 'the run to end');
  const lines = output.get(s.runId)!.split(/\r?\n/);
  expect(lines.filter((l) => l.startsWith(`content ${file}`))).toHaveLength(1);
  expect(lines).toContain(`read ${file} errno=2`);
});
