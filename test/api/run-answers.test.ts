/**
 * The answers about a whole run through the API (issue 9, point 10): 'deny-run' ends the
 * questions of that run (the rest denied, audited), 'stop-run' stops it, for installed apps and
 * for "run once"; the third question in quick succession is marked insistent; any other answer is
 * refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import type { AppDetails, SessionInfo } from '../../preload/api.ts';
import { fixture, install, ok, recordingCore, tmp, until, useCleanup } from '../helpers/api-harness.ts';

useCleanup();

const MANY = 30;

test("'deny-run' denies the rest of the run without asking; the third quick question is insistent", async () => {
  const { api, prompts, output, exits } = recordingCore();
  const appId = await install(api, fixture('ask_hostile'));
  const prefix = path.join(fs.realpathSync(tmp('terrarium-run-answers-')), 'x-');
  const { runId } = await ok<{ runId: string }>(api, 'runs.start', { ref: appId, args: [`many:${MANY}:${prefix}`], cols: 80, rows: 24 });
  for (let n = 1; n <= 2; n++) {
    await until(() => prompts.length === n, `question ${n}`);
    await ok(api, 'prompt.answer', { promptId: prompts[n - 1]!.promptId, answer: 'deny' });
  }
  await until(() => prompts.length === 3, 'question 3');
  expect(prompts.map((p) => p.insistent)).toEqual([false, false, true]);
  await ok(api, 'prompt.answer', { promptId: prompts[2]!.promptId, answer: 'deny-run' });
  await until(() => exits.has(runId), 'the run to end');
  expect(prompts).toHaveLength(3);
  expect(exits.get(runId)).toMatchObject({ outcome: 'exit', exitCode: 0 });
  expect(output.get(runId)).toContain(`many: 0 allowed, ${MANY} denied`);
  const audit = (await ok<AppDetails>(api, 'apps.get', { ref: appId })).audit;
  expect(audit.filter((e) => e.path?.startsWith(prefix) && e.decision === 'denied')).toHaveLength(MANY);
  expect((await ok<AppDetails>(api, 'apps.get', { ref: appId })).denials).toEqual([]);
});

test("'stop-run' stops the run, installed or run once", async () => {
  const { api, prompts, exits } = recordingCore();
  const appId = await install(api, fixture('ask_hostile'));
  const prefix = path.join(fs.realpathSync(tmp('terrarium-run-answers-')), 'y-');
  const { runId } = await ok<{ runId: string }>(api, 'runs.start', { ref: appId, args: [`many:${MANY}:${prefix}`], cols: 80, rows: 24 });
  await until(() => prompts.length === 1, 'the question');
  await ok(api, 'prompt.answer', { promptId: prompts[0]!.promptId, answer: 'stop-run' });
  await until(() => exits.has(runId), 'the run to stop');
  expect(exits.get(runId)).toMatchObject({ outcome: 'cancelled' });
  expect(prompts).toHaveLength(1);

  // "Run once" (no grants, everything asked): the same two answers.
  const preview = await ok<{ previewId: string }>(api, 'install.preview', { source: { kind: 'file', path: fixture('ask_hostile') } });
  const once = await ok<SessionInfo>(api, 'install.runOnce', { previewId: preview.previewId, cols: 80, rows: 24 });
  await until(() => prompts.length === 2, 'the run-once question');
  await ok(api, 'prompt.answer', { promptId: prompts[1]!.promptId, answer: 'stop-run' });
  await until(() => exits.has(once.runId), 'the run-once run to stop');
  expect(exits.get(once.runId)).toMatchObject({ outcome: 'cancelled' });
});

test('an answer outside the six is refused, and the question stays open', async () => {
  const { api, prompts, exits } = recordingCore();
  const appId = await install(api, fixture('ask_hostile'));
  const prefix = path.join(fs.realpathSync(tmp('terrarium-run-answers-')), 'z-');
  const { runId } = await ok<{ runId: string }>(api, 'runs.start', { ref: appId, args: [`many:1:${prefix}`], cols: 80, rows: 24 });
  await until(() => prompts.length === 1, 'the question');
  expect(await api.handle('prompt.answer', { promptId: prompts[0]!.promptId, answer: 'allow-everything' })).toMatchObject({ ok: false, code: 'bad-request' });
  expect(await ok(api, 'prompt.pending', {})).toHaveLength(1);
  await ok(api, 'prompt.answer', { promptId: prompts[0]!.promptId, answer: 'deny-run' });
  await until(() => exits.has(runId), 'the run to end');
});
