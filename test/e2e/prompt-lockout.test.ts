/**
 * Prompts cannot lock the person out, nor be imitated by the app (issue 9, points 4 and 10), in
 * the real renderer: ask_hostile.wasm prints a look-alike question and hostile escape sequences
 * into its terminal, then asks about many distinct paths, one after another. The real question is
 * Terrarium's own modal, on top of everything; from the third question in quick succession it
 * leads with "Deny everything else from this run" (focused), which denies the rest without asking
 * and leaves the window usable; "Stop this run" stops a run. A long path says what was cut.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Events, PromptRequest } from '../../preload/api.ts';
import { type E2E, fixture, screenshot, seed, seriousViolations, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, focusedAnswer, stopAllRuns, terminalText, tile, visiblePane, waitForRun } from '../helpers/e2e/ui.ts';

const MANY = 200;
/** What the app prints first: a look-alike of Terrarium's question, then state meant to hide one. */
const FAKE = 'Permission request\\r\\nask_hostile wants to read /tmp/harmless.txt   [Deny]  [Allow once]  [Allow always]\\r\\n';
const HIDE = ['\\e[5;6r\\e[?1049h\\e[?25l', '\\e[8m\\e]0;pwned'];

let e: E2E;
let appId: string;
let dir: string;
const asked: PromptRequest[] = [];

function dialog(page: Page) {
  return page.getByRole('alertdialog');
}

/** Waits for question number `n` (counted from the start) to be on show and answerable. */
async function armed(page: Page, n: number): Promise<void> {
  await expect.poll(() => asked.length, { timeout: UI_TIMEOUT }).toBeGreaterThanOrEqual(n);
  const id = asked[n - 1]!.promptId;
  await page.locator(`[data-testid="prompt-dialog"][data-prompt-id="${id}"][data-armed="true"]`).waitFor({ timeout: UI_TIMEOUT });
  await page.waitForTimeout(100);
}


beforeAll(async () => {
  e = await startE2E();
  e.api.onEvent(<K extends keyof Events>(name: K, payload: Events[K]) => {
    if (name === 'prompt.request') asked.push(payload as PromptRequest);
  });
  appId = await seed(e.api, fixture('ask_hostile.wasm'));
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-lockout-')));
  await e.page.reload();
  await tile(e.page, 'ask_hostile').waitFor({ timeout: UI_TIMEOUT });
});

afterAll(async () => {
  if (e) {
    await stopAllRuns(e.api).catch(() => undefined);
    await e.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an app asking again and again: the third question leads with "Deny everything else", which ends the questions and frees the window', async () => {
  const { page, api } = e;
  // A long folder name, so the question also shows a shortened path.
  const prefix = path.join(dir, `${'a-folder-with-a-long-name/'.repeat(14)}file-`);
  fs.mkdirSync(path.dirname(prefix), { recursive: true });
  await call(api, 'grants.add', { ref: appId, grants: [{ kind: 'args', args: [`print:${HIDE[0]}${FAKE}${HIDE[1]}`, `many:${MANY}:${prefix}`] }] });
  await tile(page, 'ask_hostile').getByTestId('app-run').click();
  const pane = visiblePane(page);
  const d = dialog(page);

  // The question is the window's own modal, never terminal text: the app's look-alike is in the
  // terminal, not in the dialog; the dialog is in the top layer and nothing is drawn over it.
  await armed(page, 1);
  expect(await d.count()).toBe(1);
  expect(await d.evaluate((el) => el.matches(':modal'))).toBe(true);
  expect(await terminalText(pane)).toContain('/tmp/harmless.txt');
  expect(await d.innerText()).not.toContain('harmless');
  expect(await d.locator('#prompt-title').innerText()).toBe('ask_hostile wants to read');
  for (const id of ['prompt-deny', 'prompt-allow-once', 'prompt-deny-run', 'prompt-stop-run']) {
    const hit = await d.getByTestId(id).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('button') === el;
    });
    expect(hit, id).toBe(true);
  }

  // The shortened path says so and how much was cut; the note's count is true.
  const shown = await d.getByTestId('prompt-path').innerText();
  const cut = Number(/…\((\d+) characters cut\)…/.exec(shown)![1]);
  const [head, tail] = shown.split(/…\(\d+ characters cut\)…/);
  const real = `${prefix}0`;
  expect(real.startsWith(head!) && real.endsWith(tail!)).toBe(true);
  expect(head!.length + cut + tail!.length).toBe(real.length);
  expect(await d.getByTestId('prompt-path-note').innerText()).toContain(`${cut} characters in its middle are left out`);

  // Calm so far: the four answers first, Deny focused, the run's answers last.
  expect(await d.getByTestId('prompt-insistent').count()).toBe(0);
  expect(await focusedAnswer(page)).toBe('deny');
  await d.getByTestId('prompt-deny').click();
  await armed(page, 2);
  expect(await focusedAnswer(page)).toBe('deny');
  await d.getByTestId('prompt-deny').click();

  // The third question within 10 s: the run's answers come first, the first of them focused.
  await armed(page, 3);
  expect(asked[2]!.insistent).toBe(true);
  expect(await d.getByTestId('prompt-insistent').innerText()).toContain('ask_hostile keeps asking');
  expect(await focusedAnswer(page)).toBe('deny-run');
  const order = await d.locator('footer button').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.answer));
  expect(order).toEqual(['deny-run', 'stop-run', 'deny', 'deny-always', 'allow-once', 'allow-always']);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'prompt-insistent-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'prompt-insistent-dark');
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });

  await page.keyboard.press('Enter');
  await expect.poll(() => d.count(), { timeout: UI_TIMEOUT }).toBe(0);
  // (The app's summary line is swallowed by its own unterminated OSC: its exit and the audit tell.)
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(asked).toHaveLength(3);
  expect(await call(api, 'prompt.pending', {})).toEqual([]);
  // Every access after the answer was denied without asking, and audited as denied.
  const audit = (await call(api, 'apps.get', { ref: appId })).audit.filter((a) => a.path?.startsWith(prefix));
  expect(audit).toHaveLength(MANY);
  expect(audit.every((a) => a.decision === 'denied')).toBe(true);

  // The window is usable again: the app page opens and its controls answer.
  await pane.getByRole('button', { name: 'App page' }).click();
  await page.getByTestId('unknown-access-ask').waitFor({ timeout: UI_TIMEOUT });
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'ask_hostile').waitFor({ timeout: UI_TIMEOUT });
});

test('"Stop this run" stops the run at once', async () => {
  const { page, api } = e;
  const prefix = path.join(dir, 'stop-');
  await call(api, 'grants.add', { ref: appId, grants: [{ kind: 'args', args: [`many:${MANY}:${prefix}`, 'print:not reached\\n'] }] });
  const before = asked.length;
  await tile(page, 'ask_hostile').getByTestId('app-run').click();
  const pane = visiblePane(page);
  await armed(page, before + 1);
  expect(asked[before]!.insistent).toBe(false);
  await screenshot(page, 'prompt-run-answers-light');
  await dialog(page).getByTestId('prompt-stop-run').click();
  await expect.poll(() => dialog(page).count(), { timeout: UI_TIMEOUT }).toBe(0);
  await waitForRun(pane, 'exited', 'cancelled');
  expect(await terminalText(pane)).not.toContain('not reached');
  expect(asked).toHaveLength(before + 1);
  expect((await call(api, 'apps.get', { ref: appId })).history[0]).toMatchObject({ outcome: 'cancelled' });
});
