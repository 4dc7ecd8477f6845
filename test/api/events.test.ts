/**
 * The events the real core sends fit the contract's event schemas (preload/events.ts): the
 * launcher's events (the contract's own payloads, main/launcher/events.ts) and the core's own, for a run that asks,
 * is answered, prints and ends; and an install's progress.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { expect, test } from 'vitest';
import { EVENTS } from '../../preload/events.ts';
import type { EventName } from '../../preload/api.ts';
import { fixture, fresh, install, ok, tmp, until, useCleanup } from '../helpers/api-harness.ts';

useCleanup();

test('every event of a prompted run, and of an install from bytes, has the contract’s shape', async () => {
  const h = fresh();
  const appId = await install(h.api, fixture('ask_probe'));
  const file = path.join(fs.realpathSync(tmp('terrarium-events-data-')), 'needed.txt');
  fs.writeFileSync(file, 'the data');
  const run = await ok<{ runId: string }>(h.api, 'runs.start', { ref: appId, args: [`read:${file}`], cols: 80, rows: 24 });
  const asked = await until(() => h.events.find((e) => e.name === 'prompt.request'), 'the prompt');
  await ok(h.api, 'prompt.answer', { promptId: (asked.payload as { promptId: string }).promptId, answer: 'allow-once' });
  await until(() => h.events.some((e) => e.name === 'run.exit'), 'the run to end');
  await ok(h.api, 'install.preview', { source: { kind: 'bytes', fileName: 'stdio.wasm', bytes: fs.readFileSync(fixture('stdio')) }, progressId: 'p1' });
  h.api.shellCommand({ kind: 'run', app: appId });

  const names = new Set(h.events.map((e) => e.name));
  expect([...names].sort()).toEqual(['apps.changed', 'prompt.closed', 'prompt.request', 'run.exit', 'run.output', 'shell.command']);
  for (const e of h.events) {
    const r = v.safeParse(EVENTS[e.name as EventName], e.payload);
    expect(r.success, `${e.name} ${JSON.stringify(r.issues?.[0]?.path?.map((p) => p.key))} ${r.issues?.[0]?.message}`).toBe(true);
  }
  expect(h.events.find((e) => e.name === 'run.exit')?.payload).toMatchObject({ runId: run.runId, outcome: 'exit' });
  // A malformed payload would be caught: the check is not vacuous.
  expect(v.is(EVENTS['run.exit'], { runId: run.runId, outcome: 'finished', exitCode: 0, message: '' })).toBe(false);
});
