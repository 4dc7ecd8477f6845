/**
 * Permission prompts in the window (issue 5, points 2, 6 and 7): an app with no grants, run from
 * the catalog, asks in Terrarium's own modal; "Allow always" given with the keyboard becomes a
 * read-only folder grant on the app page, with its audit entry, and the next run is not asked.
 * Keys typed (or held) before a prompt appeared do not answer it. Prompts queue, each labelled
 * with its run, close when answered elsewhere, and survive a page reload.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Events, PromptRequest } from '../../preload/api.ts';
import { type E2E, fixture, screenshot, seed, seriousViolations, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, focusedAnswer, stopAllRuns, terminalText, tile, visiblePane, waitForRun, waitForText } from '../helpers/e2e/ui.ts';

/** The renderer's grace period (PromptDialog's ARM_MS), plus a margin. */
const ARMED_AFTER_MS = 700;

let e: E2E;
let appId: string;
let dataDir: string;
let file: string;
const tmpDirs: string[] = [];
/** Every prompt.request the core sent, in order. */
const asked: PromptRequest[] = [];

function tmpDir(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-ask-')));
  tmpDirs.push(d);
  return d;
}

/** A folder holding one file with `text`; returns the file's path. */
function dataFile(text: string): string {
  const f = path.join(tmpDir(), 'needed.txt');
  fs.writeFileSync(f, text);
  return f;
}

async function defaultArgs(args: string[]): Promise<void> {
  await call(e.api, 'grants.add', { ref: appId, grants: [{ kind: 'args', args }] });
}

function promptDialog(page: Page): Locator {
  return page.getByRole('alertdialog');
}

/** Waits for the prompt to be shown and past its grace period (keys and clicks count from then). */
async function waitArmed(page: Page): Promise<Locator> {
  const d = promptDialog(page);
  await d.waitFor({ timeout: UI_TIMEOUT });
  await page.locator('[data-testid="prompt-dialog"][data-armed="true"]').waitFor({ timeout: UI_TIMEOUT });
  await page.waitForTimeout(ARMED_AFTER_MS - 600); // the grace period is timed from showModal; be clear of it
  return d;
}


beforeAll(async () => {
  e = await startE2E();
  e.api.onEvent(<K extends keyof Events>(name: K, payload: Events[K]) => {
    if (name === 'prompt.request') asked.push(payload as PromptRequest);
  });
  appId = await seed(e.api, fixture('ask_probe.wasm'));
  file = dataFile('the data');
  dataDir = path.dirname(file);
  await defaultArgs([`read:${file}`]); // and no folder grant
  await e.page.reload();
  await tile(e.page, 'ask_probe').waitFor({ timeout: UI_TIMEOUT });
});

afterAll(async () => {
  if (e) {
    await stopAllRuns(e.api).catch(() => undefined);
    await e.close();
  }
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

test('an app with no grants asks in a modal of its own; "Allow always" by keyboard grants the folder and is never asked again', async () => {
  const { page, api } = e;
  await tile(page, 'ask_probe').getByTestId('app-run').click();
  const pane = visiblePane(page);

  const dialog = promptDialog(page);
  await dialog.waitFor({ timeout: UI_TIMEOUT });
  expect(asked).toHaveLength(1);
  expect(await dialog.getByTestId('prompt-path').innerText()).toBe(file);
  expect(await dialog.getByTestId('prompt-operation').getAttribute('data-operation')).toBe('read');
  expect(await dialog.locator('#prompt-title').innerText()).toBe('ask_probe wants to read');
  expect(await dialog.getByTestId('prompt-folder').innerText()).toBe(dataDir);
  expect(await dialog.locator('#prompt-always').innerText()).toContain('(read only)');
  await expect.poll(() => dialog.getByTestId('prompt-run').innerText(), { timeout: UI_TIMEOUT }).toMatch(/terminal tab 1, ask_probe, started/);
  expect(await dialog.getByTestId('prompt-countdown').innerText()).toMatch(/Denied automatically in [01]:\d\d/);
  expect(await dialog.getByTestId('prompt-position').count()).toBe(0); // one question: no "1 of 1"
  expect(await focusedAnswer(page)).toBe('deny');
  // The question is Terrarium's, not the app's: nothing of it is in the terminal pane.
  expect(await terminalText(pane)).not.toContain('wants to');
  expect(await pane.getByTestId('run-status').getAttribute('data-state')).toBe('running');

  await waitArmed(page);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'prompt-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'prompt-dark');
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });

  // Keyboard only: Tab from Deny to "Allow always", then Enter.
  const order: (string | null)[] = [];
  for (let i = 0; i < 6 && (await focusedAnswer(page)) !== 'allow-always'; i++) {
    await page.keyboard.press('Tab');
    order.push(await focusedAnswer(page));
  }
  expect(order).toEqual(['deny-always', 'allow-once', 'allow-always']);
  await page.keyboard.press('Enter');

  await expect.poll(() => dialog.count(), { timeout: UI_TIMEOUT }).toBe(0);
  await waitForText(pane, `content ${file} the data`);
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(await call(api, 'prompt.pending', {})).toEqual([]);

  // The app page: the folder, read only, and the audit entry.
  await pane.getByRole('button', { name: 'App page' }).click();
  const grant = page.locator(`[data-testid="grant-folder"][data-host="${dataDir}"]`);
  await grant.waitFor({ timeout: UI_TIMEOUT });
  expect(await grant.getAttribute('data-access')).toBe('read');
  expect(await grant.getByTestId('grant-access-toggle-read').isChecked()).toBe(true);
  const row = page.locator(`[data-testid="audit-row"][data-path="${file}"]`);
  await row.waitFor({ timeout: UI_TIMEOUT });
  expect(await row.getAttribute('data-decision')).toBe('prompted-allowed');
  expect(await row.getAttribute('data-operation')).toBe('read');
  expect(await row.innerText()).toContain('you allowed');
  expect(await page.getByTestId('unknown-access-ask').isChecked()).toBe(true);
  const exported = await page.getByTestId('audit-export').getAttribute('href');
  const lines = decodeURIComponent(exported!.replace(/^data:[^,]*,/, '')).trim().split('\n').map((l) => JSON.parse(l) as { path: string; decision: string });
  expect(lines).toMatchObject([{ path: file, decision: 'prompted-allowed', operation: 'read' }]);
  expect(await page.getByTestId('audit-export').getAttribute('download')).toBe('ask_probe-activity.jsonl');

  // Run again: no question this time.
  await page.getByTestId('app-page-run').click();
  const pane2 = visiblePane(page);
  await waitForText(pane2, `content ${file} the data`);
  await waitForRun(pane2, 'exited', 'exit', 0);
  await page.waitForTimeout(2_000);
  expect(await dialog.count()).toBe(0);
  expect(asked).toHaveLength(1);
});

test('keys typed before a prompt appeared do not answer it; Deny with a click; the app sees EACCES', async () => {
  const { page, api } = e;
  const other = dataFile('secret');
  // The app first waits for a line, so the prompt can only come after keys reached it (a warm run
  // reaches its question within one key press otherwise), then reads a folder nobody granted.
  await defaultArgs(['wait:line', `read:${other}`]);
  const before = asked.length;
  await page.getByTestId('nav-catalog').click();
  const dialog = promptDialog(page);

  // The run starts, and Enter and "a" are pressed without pause from before the prompt shows
  // until a moment after it does (well inside the grace period, as fast typing would be).
  await tile(page, 'ask_probe').getByTestId('app-run').click();
  let seenAt = 0;
  let pressesBefore = 0;
  let pressesAfter = 0;
  // Looked for before each pair: a warm run asks within the first Enter's round trip, so the
  // first pair is the one the app was waiting for, pressed before any prompt could show.
  for (let i = 0; i < 2_000; i++) {
    if (!seenAt && await dialog.isVisible()) seenAt = Date.now();
    await page.keyboard.press('Enter');
    await page.keyboard.press('a');
    if (seenAt) pressesAfter += 2;
    else pressesBefore += 2;
    if (seenAt && Date.now() - seenAt > 250) break;
  }
  // Keys went in on both sides of the prompt's appearance.
  expect(seenAt).toBeGreaterThan(0);
  expect(pressesBefore).toBeGreaterThan(0);
  expect(pressesAfter).toBeGreaterThan(0);
  expect(asked.length).toBe(before + 1);
  const promptId = asked.at(-1)!.promptId;

  // Still open, still the same question, still waiting in the core.
  await page.waitForTimeout(1_000);
  expect(await dialog.isVisible()).toBe(true);
  expect(await dialog.getAttribute('data-prompt-id')).toBe(promptId);
  expect((await call(api, 'prompt.pending', {})).map((p) => p.promptId)).toEqual([promptId]);
  expect(await focusedAnswer(page)).toBe('deny');
  const pane = visiblePane(page);
  expect(await pane.getByTestId('run-status').getAttribute('data-state')).toBe('running');
  // The terminal gets no keys while the prompt is open (the line discipline would echo them).
  await page.keyboard.type('zqzq');

  await dialog.getByTestId('prompt-deny').click();
  await expect.poll(() => dialog.count(), { timeout: UI_TIMEOUT }).toBe(0);
  await waitForText(pane, `read ${other} errno=2`);
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(await terminalText(pane)).not.toContain('zq');
  expect((await call(api, 'apps.get', { ref: appId })).audit[0]).toMatchObject({ path: other, decision: 'denied' });
});

test('a key held down when the prompt appeared must be released before it counts', async () => {
  const { page } = e;
  const other = dataFile('held');
  await defaultArgs([`read:${other}`]);
  await page.getByTestId('nav-catalog').click();
  const dialog = promptDialog(page);
  const before = asked.length;

  await tile(page, 'ask_probe').getByTestId('app-run').click();
  await page.keyboard.down('Enter'); // held (into the terminal) as the prompt appears
  await waitArmed(page);
  await page.keyboard.down('Enter'); // the key repeating, long after the grace period
  await page.keyboard.down('Enter');
  await page.waitForTimeout(300);
  expect(await dialog.isVisible()).toBe(true);
  await page.keyboard.up('Enter');
  await page.waitForTimeout(300);
  expect(await dialog.isVisible()).toBe(true);
  expect(await focusedAnswer(page)).toBe('deny');

  // A fresh press of Enter does answer: Deny, which has focus.
  await page.keyboard.press('Enter');
  await expect.poll(() => dialog.count(), { timeout: UI_TIMEOUT }).toBe(0);
  const pane = visiblePane(page);
  await waitForText(pane, `read ${other} errno=2`);
  // One run, one question: the held Enter went to the run's terminal, not to the Run button.
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(asked.length).toBe(before + 1);
  expect(await call(e.api, 'runs.list', {})).toEqual([]);
});

test('prompts from several runs queue, each labelled with its run; answered elsewhere they close; a reload shows those still waiting; Esc denies', async () => {
  const { page, api } = e;
  const a = dataFile('a');
  const b = dataFile('b');
  await defaultArgs([`read:${file}`]); // granted since the first test: read without asking
  await page.getByTestId('nav-catalog').click();
  const before = asked.length;
  // Two runs started by another window: no tab here.
  const r1 = await call(api, 'runs.start', { ref: appId, args: [`read:${a}`], cols: 80, rows: 24 });
  await expect.poll(() => asked.length, { timeout: UI_TIMEOUT }).toBe(before + 1);
  const r2 = await call(api, 'runs.start', { ref: appId, args: [`read:${b}`], cols: 80, rows: 24 });
  await expect.poll(() => asked.length, { timeout: UI_TIMEOUT }).toBe(before + 2);

  const dialog = promptDialog(page);
  await dialog.waitFor({ timeout: UI_TIMEOUT });
  await expect.poll(() => dialog.getByTestId('prompt-position').innerText(), { timeout: UI_TIMEOUT }).toBe('· 1 of 2');
  expect(await dialog.getAttribute('data-run-id')).toBe(r1.runId);
  expect(await dialog.getByTestId('prompt-path').innerText()).toBe(a);
  expect(await dialog.getByTestId('prompt-run').innerText()).toMatch(/no terminal tab in this window/);

  // Answered in another window: this one moves on to the next question.
  await call(api, 'prompt.answer', { promptId: asked[before]!.promptId, answer: 'deny' });
  await expect.poll(() => dialog.getAttribute('data-run-id'), { timeout: UI_TIMEOUT }).toBe(r2.runId);
  expect(await dialog.getByTestId('prompt-path').innerText()).toBe(b);
  expect(await dialog.getByTestId('prompt-position').count()).toBe(0);

  // A reload fetches the questions still open.
  await page.reload();
  await dialog.waitFor({ timeout: UI_TIMEOUT });
  expect(await dialog.getByTestId('prompt-path').innerText()).toBe(b);

  await waitArmed(page);
  expect(await focusedAnswer(page)).toBe('deny');
  await page.keyboard.press('Escape');
  await expect.poll(() => dialog.count(), { timeout: UI_TIMEOUT }).toBe(0);
  await expect.poll(async () => (await call(api, 'runs.list', {})).length, { timeout: UI_TIMEOUT }).toBe(0);
  const audit = (await call(api, 'apps.get', { ref: appId })).audit;
  expect(audit.filter((x) => x.path === a || x.path === b).map((x) => [x.path, x.decision])).toEqual([[b, 'denied'], [a, 'denied']]);
});
