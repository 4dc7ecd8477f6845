/**
 * Permission prompts through the API (DESIGN §5): an app with no grants, run from the window,
 * asks for the file it needs; "allow once" lets it read and asks again next run; "allow always"
 * grants the folder and is never asked again; no answer in time means deny; all of it is audited.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import type { AppDetails } from '../../preload/api.ts';
import { fixture, install, ok, recordingCore, tmp, until, useCleanup } from '../helpers/api-harness.ts';

useCleanup();

const core = (promptTimeoutMs?: number) => recordingCore({ promptTimeoutMs });

test('allow once, asked again next run; allow always, never asked again; all audited', async () => {
  const { api, prompts, output, exits } = core();
  const appId = await install(api, fixture('ask_probe'));
  const folder = fs.realpathSync(tmp('terrarium-prompt-data-'));
  const file = path.join(folder, 'needed.txt');
  fs.writeFileSync(file, 'the data');
  const start = () => ok<{ runId: string }>(api, 'runs.start', { ref: appId, args: [`read:${file}`], cols: 80, rows: 24 });

  const r1 = await start();
  await until(() => prompts.length === 1, 'the first prompt');
  expect(prompts[0]).toMatchObject({ runId: r1.runId, appId, operation: 'read', path: file, folder });
  expect(await ok(api, 'prompt.pending', {})).toHaveLength(1);
  await ok(api, 'prompt.answer', { promptId: prompts[0]!.promptId, answer: 'allow-once' });
  await until(() => exits.has(r1.runId), 'the first run to end');
  expect(output.get(r1.runId)).toContain(`content ${file} the data`);
  expect((await ok<AppDetails>(api, 'apps.get', { ref: appId })).grants).toEqual([]);

  const r2 = await start();
  await until(() => prompts.length === 2, 'the second prompt');
  await ok(api, 'prompt.answer', { promptId: prompts[1]!.promptId, answer: 'allow-always' });
  await until(() => exits.has(r2.runId), 'the second run to end');
  expect(output.get(r2.runId)).toContain(`content ${file} the data`);
  const details = await ok<AppDetails>(api, 'apps.get', { ref: appId });
  expect(details.grants).toMatchObject([{ kind: 'folder', host: folder, guest: folder, access: 'read' }]);

  const r3 = await start();
  await until(() => exits.has(r3.runId), 'the third run to end');
  expect(prompts).toHaveLength(2);
  expect(output.get(r3.runId)).toContain(`content ${file} the data`);
  const audit = (await ok<AppDetails>(api, 'apps.get', { ref: appId })).audit;
  expect(audit.filter((e) => e.path === file).map((e) => e.decision)).toEqual(['prompted-allowed', 'prompted-allowed']);
  expect(await api.handle('prompt.answer', { promptId: prompts[0]!.promptId, answer: 'deny' })).toMatchObject({ ok: false, code: 'no-prompt' });
});

test('no answer in time is a denial, and an app set to deny is never asked', async () => {
  const { api, prompts, output, exits } = core(300);
  const appId = await install(api, fixture('ask_probe'));
  const file = path.join(fs.realpathSync(tmp('terrarium-prompt-data-')), 'x.txt');
  fs.writeFileSync(file, 'x');
  const r1 = await ok<{ runId: string }>(api, 'runs.start', { ref: appId, args: [`read:${file}`], cols: 80, rows: 24 });
  await until(() => exits.has(r1.runId), 'the run to end after the prompt expired');
  expect(prompts).toHaveLength(1);
  expect(output.get(r1.runId)).toContain(`read ${file} errno=2`);

  await ok(api, 'apps.setUnknownAccess', { ref: appId, mode: 'deny' });
  const r2 = await ok<{ runId: string }>(api, 'runs.start', { ref: appId, args: [`read:${file}`], cols: 80, rows: 24 });
  await until(() => exits.has(r2.runId), 'the second run to end');
  expect(prompts).toHaveLength(1);
  const details = await ok<AppDetails>(api, 'apps.get', { ref: appId });
  expect(details.unknownAccess).toBe('deny');
  expect(details.audit.map((e) => e.decision)).toEqual(['denied', 'denied']);
});
