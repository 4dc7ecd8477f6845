/**
 * The app page's templates are parsed while the page is idle (issue 14.5, components/app/
 * page-warmup.ts), not in a Details click's reply. Svelte parses a component's template the first
 * time it is used (`create_fragment_from_html`: a `<template>`'s innerHTML); this test records
 * those parses and checks that opening an app's page after start-up parses none of its
 * components' templates (only the loading shell's and the integration card's answer), and that
 * the warm-up left nothing in the document (no page, no focus moved).
 */
import os from 'node:os';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, seed, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, tile } from '../helpers/e2e/ui.ts';

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
  await seed(e.api, fixture('args_env.wasm'));
  await e.page.addInitScript(() => {
    const w = window as unknown as { __parsed: string[]; __sent: string[]; __replies: string[]; __breakNextGet: boolean };
    w.__parsed = [];
    w.__sent = [];
    w.__replies = [];
    // The replies' heads ('{"id":N,'), as the page's sockets receive them.
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...a: ConstructorParameters<typeof WebSocket>) {
        super(...a);
        this.addEventListener('message', (m: MessageEvent) => {
          if (typeof m.data === 'string' && m.data.startsWith('{"id":')) w.__replies.push(m.data.slice(0, m.data.indexOf(',') + 1));
        });
      }
    };
    // What the page sends main (web mode's request socket), as text.
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
      // The next apps.get asks for an app that does not exist (main answers with an error).
      if (w.__breakNextGet && typeof data === 'string' && data.includes('"apps.get"')) {
        w.__breakNextGet = false;
        data = data.replace(/"ref":"[^"]*"/, '"ref":"no-such-app"');
      }
      w.__sent.push(typeof data === 'string' ? data : data instanceof Blob ? '' : new TextDecoder().decode(data as ArrayBuffer));
      send.call(this, data);
    };
    const html = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML')!;
    Object.defineProperty(HTMLTemplateElement.prototype, 'innerHTML', {
      configurable: true,
      get(this: HTMLTemplateElement) {
        return html.get!.call(this) as string;
      },
      set(this: HTMLTemplateElement, v: string) {
        w.__parsed.push(String(v));
        html.set!.call(this, v);
      },
    });
  });
  await e.page.reload();
  await tile(e.page, 'args_env').waitFor({ timeout: UI_TIMEOUT });
});
afterAll(async () => {
  await e?.close();
});

const sent = (): Promise<string[]> => e.page.evaluate(() => (window as unknown as { __sent: string[] }).__sent);
/** The apps.get requests the page has sent, as text. */
const asked = async (): Promise<string[]> => (await sent()).filter((m) => m.includes('"apps.get"'));
/** Waits until the page's socket has received the answer to request `id`. */
const answered = (id: number): Promise<void> =>
  expect.poll(() => e.page.evaluate((head) => (window as unknown as { __replies: string[] }).__replies.includes(head), `{"id":${id},`), { timeout: UI_TIMEOUT }).toBe(true);

/** The catalog shown, the pointer away from every button: args_env's Details button. */
async function detailsInCatalog(): Promise<Locator> {
  await e.page.getByTestId('nav-catalog').click();
  await e.page.mouse.move(0, 0);
  const details = tile(e.page, 'args_env').getByTestId('app-details');
  await details.waitFor({ timeout: UI_TIMEOUT });
  return details;
}
const parsed = (): Promise<string[]> => e.page.evaluate(() => (window as unknown as { __parsed: string[] }).__parsed);

test('a Details click after start-up parses none of the app page\'s templates; the warm-up left nothing behind', async () => {
  const { page } = e;
  // The warm-up parses the page's templates once the page is idle (the page's own among them).
  await expect.poll(async () => (await parsed()).some((t) => t.includes('data-testid="app-page"')), { timeout: UI_TIMEOUT }).toBe(true);
  // That was its first mount; its second (every part) comes at the next idle callback, which was
  // asked for before this one: once this one has run, so has the warm-up (a busy machine's idle
  // time comes late).
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(null))));
  const before = (await parsed()).length;
  await expect(page.locator('[data-testid="app-page"]').count()).resolves.toBe(0);
  await expect(page.evaluate(() => document.activeElement === document.body)).resolves.toBe(true);
  // Its one request is the details it mounts the page with; the page's effects (integration.get) never ran.
  expect((await sent()).some((m) => m.includes('apps.get'))).toBe(true);
  expect((await sent()).some((m) => m.includes('integration.get'))).toBe(false);

  await tile(page, 'args_env').getByTestId('app-details').click();
  await page.locator('[data-testid="app-page"] [data-testid="run-history"]').waitFor({ timeout: UI_TIMEOUT });
  const during = (await parsed()).slice(before);
  // Only the shell shown until the reply ("Loading…") and the integration card's answer (its own
  // request, made by an effect the warm-up never runs) are parsed during the click.
  const after = (t: string): boolean => t.includes('Loading') || t.includes('integration-') || t.includes('Not available in web mode');
  expect(during.filter((t) => !after(t))).toEqual([]);
  expect(during.length).toBeGreaterThan(0); // the recording sees the click's parses
  await expect.poll(async () => (await sent()).some((m) => m.includes('integration.get')), { timeout: UI_TIMEOUT }).toBe(true); // and its requests
});

test('a page with runs and permissions, after a warm-up whose app had none, parses none of its templates either', async () => {
  const { page, api } = e;
  // Back to the catalog first: an open page would show the new run and grants itself.
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'args_env').waitFor({ timeout: UI_TIMEOUT });
  const [app] = (await call(api, 'apps.list', {})).filter((a) => a.name === 'args_env');
  const run = await call(api, 'runs.start', { ref: app!.id, cols: 80, rows: 24 });
  await expect.poll(async () => (await call(api, 'apps.get', { ref: app!.id })).history.find((r) => r.id === run.runNumber)?.outcome, { timeout: UI_TIMEOUT }).toBe('exit');
  await call(api, 'grants.add', {
    ref: app!.id,
    grants: [
      { kind: 'folder', host: os.tmpdir(), guest: '/tmp', access: 'read' },
      { kind: 'env', name: 'A', value: 'b' },
      { kind: 'args', args: ['x'] },
      { kind: 'limit', name: 'timeout-seconds', value: 5 },
    ],
  });
  // The catalog's tile shows the change first (its own templates, not the page's).
  await tile(page, 'args_env').getByTestId('badge-custom-permissions').waitFor({ timeout: UI_TIMEOUT });
  const before = (await parsed()).length;
  await tile(page, 'args_env').getByTestId('app-details').click();
  await page.locator('[data-testid="app-page"] [data-testid="run-row"]').waitFor({ timeout: UI_TIMEOUT });
  await page.locator('[data-testid="app-page"] [data-testid="badge-custom-permissions"]').waitFor({ timeout: UI_TIMEOUT });
  const during = (await parsed()).slice(before);
  const after = (t: string): boolean => t.includes('Loading') || t.includes('integration-') || t.includes('Not available in web mode');
  expect(during.filter((t) => !after(t))).toEqual([]);
});

test('a pointer resting on Details asks for the details; a click after the answer shows the whole page at once', async () => {
  const { page } = e;
  const details = await detailsInCatalog();
  const before = (await asked()).length;
  await details.hover();
  await expect.poll(async () => (await asked()).length, { timeout: UI_TIMEOUT }).toBe(before + 1);
  const { id } = JSON.parse((await asked()).at(-1)!) as { id: number };
  await answered(id);
  // Whether the page ever shows its "Loading…" shell.
  await page.evaluate(() => {
    const w = window as unknown as { __loading: boolean };
    w.__loading = false;
    new MutationObserver(() => (w.__loading ||= document.querySelector('[data-testid="app-page"] .loading') !== null)).observe(document.body, { childList: true, subtree: true });
  });
  await details.click();
  await page.locator('[data-testid="app-page"] [data-testid="run-row"]').waitFor({ timeout: UI_TIMEOUT });
  expect(await page.evaluate(() => (window as unknown as { __loading: boolean }).__loading)).toBe(false);
  expect((await asked()).length).toBe(before + 1); // the press and the page took that answer
});

test('a pointer passing over Details on its way elsewhere asks for nothing', async () => {
  const { page } = e;
  const details = await detailsInCatalog();
  await page.waitForTimeout(1100); // the previous test's ask is no longer fresh (a fresh one is not asked again)
  const before = (await asked()).length;
  const box = (await details.boundingBox())!;
  // Across the button and off it at once, as a pointer crossing the catalog does.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  expect((await asked()).length).toBe(before);
  // Resting on it asks (the test above: once the answer is there the click renders the page at once).
  await details.hover();
  await expect.poll(async () => (await asked()).length, { timeout: UI_TIMEOUT }).toBe(before + 1);
});

test('a failed answer asked for ahead is not kept: the click after it asks again and shows the page', async () => {
  const { page } = e;
  const details = await detailsInCatalog();
  await page.waitForTimeout(1100); // the previous test's ask is no longer fresh
  const before = (await asked()).length;
  await page.evaluate(() => ((window as unknown as { __breakNextGet: boolean }).__breakNextGet = true));
  await details.hover();
  await expect.poll(async () => (await asked()).length, { timeout: UI_TIMEOUT }).toBe(before + 1);
  const failed = (await asked()).at(-1)!;
  expect(failed).toContain('no-such-app');
  const { id } = JSON.parse(failed) as { id: number };
  await answered(id);
  await details.click();
  await page.locator('[data-testid="app-page"] [data-testid="run-row"]').waitFor({ timeout: UI_TIMEOUT });
  const again = (await asked()).slice(before + 1);
  expect(again.length).toBeGreaterThan(0);
  expect(again.every((m) => !m.includes('no-such-app'))).toBe(true);
});
