/**
 * The answers about a whole run (issue 9, point 10): "deny everything else from this run" denies
 * every further ungranted access of that run without asking (audited as denied), "stop this run"
 * stops it, and a run asking in quick succession (its third question within 10 s) is offered them
 * first. Through the real decider and a real library.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { decider } from '../../main/launcher/asking.ts';
import { type Choice, QUICK_WINDOW_MS, runPrompter } from '../../main/launcher/run-answers.ts';
import { Library } from '../../main/library/library.ts';
import { fixture } from '../helpers/paths.ts';

const probe = fixture('ask_probe');
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

async function setup() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-run-answers-'));
  temps.push(home);
  const lib = Library.open(home);
  const { app } = await lib.install({ kind: 'file', path: probe });
  return { lib, app, runId: lib.runStarted(app, [], []) };
}

/** A scripted person: answers from `choices` in turn, noting each question and its insistence. */
function person(choices: Choice[]) {
  const asked: { path: string; insistent: boolean }[] = [];
  return {
    asked,
    ask: async (q: { path: string }, insistent: boolean): Promise<Choice> => {
      asked.push({ path: q.path, insistent });
      return choices[asked.length - 1] ?? 'deny';
    },
  };
}

test('"deny everything else" denies every further access of that run without asking, audited as denied', async () => {
  const { lib, app, runId } = await setup();
  const p = person(['allow-once', 'deny-run', 'allow-once']);
  let stopped = 0;
  const decide = decider(lib, app, runId, runPrompter(p.ask, () => stopped++));
  expect(await decide('read', '/data/0')).toBe(true);
  expect(await decide('read', '/data/1')).toBe(false);
  for (let i = 2; i < 50; i++) expect(await decide('read', `/data/${i}`)).toBe(false);
  expect(p.asked.map((a) => a.path)).toEqual(['/data/0', '/data/1']);
  expect(stopped).toBe(0);
  const audit = lib.audit(app.id).reverse();
  expect(audit[0]).toMatchObject({ path: '/data/0', decision: 'prompted-allowed' });
  expect(audit.slice(1).every((e) => e.decision === 'denied')).toBe(true);
  expect(audit.slice(1).map((e) => e.path)).toEqual(Array.from({ length: 49 }, (_, i) => `/data/${i + 1}`));
  // Nothing is remembered beyond the run: a new run asks again.
  expect(lib.denials(app.id)).toEqual([]);
  const next = person(['allow-once']);
  expect(await decider(lib, app, lib.runStarted(app, [], []), runPrompter(next.ask, () => undefined))('read', '/data/9')).toBe(true);
  expect(next.asked).toHaveLength(1);
  lib.close();
});

test('"stop this run" denies the access, stops the run and asks nothing more', async () => {
  const { lib, app, runId } = await setup();
  const p = person(['stop-run', 'allow-once']);
  let stopped = 0;
  const decide = decider(lib, app, runId, runPrompter(p.ask, () => stopped++));
  expect(await decide('write', '/data/x')).toBe(false);
  expect(stopped).toBe(1);
  expect(await decide('read', '/data/y')).toBe(false);
  expect(p.asked).toHaveLength(1);
  expect(lib.audit(app.id).map((e) => e.decision)).toEqual(['denied', 'denied']);
  lib.close();
});

test('the third question within 10 s, and every one after it in quick succession, is insistent', async () => {
  let now = 1_000_000;
  const p = person([]);
  const answer = (ms: number) => async (q: { path: string }, insistent: boolean): Promise<Choice> => {
    now += ms; // the person takes `ms` to answer
    return p.ask(q, insistent);
  };
  let took = 100;
  const prompter = runPrompter((q, i) => answer(took)(q, i), () => undefined, () => now);
  const q = (n: number) => ({ appName: 'a', operation: 'read' as const, path: `/p/${n}`, reason: null });
  await prompter(q(1));
  await prompter(q(2));
  await prompter(q(3));
  await prompter(q(4));
  expect(p.asked.map((a) => a.insistent)).toEqual([false, false, true, true]);
  // A pause longer than the window calms it down again.
  now += QUICK_WINDOW_MS + 1;
  await prompter(q(5));
  expect(p.asked.at(-1)!.insistent).toBe(false);
  // A person answering slowly still sees it when the app asks again at once: 4 s per answer.
  took = 4_000;
  await prompter(q(6));
  await prompter(q(7));
  expect(p.asked.at(-1)!.insistent).toBe(true);
  // Questions spread out (an answer every 6 s and the app waiting 5 s) are not insistent.
  took = 6_000;
  now += 5_000;
  await prompter(q(8));
  now += 5_000;
  await prompter(q(9));
  now += 5_000;
  await prompter(q(10));
  expect(p.asked.at(-1)!.insistent).toBe(false);
});
