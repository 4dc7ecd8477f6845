/** The UI loads in a real browser against the real core, over the token-guarded WebSocket. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, seed, seriousViolations, startE2E } from '../helpers/e2e/harness.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await seed(e.api, fixture('stdio.wasm'));
});
afterAll(async () => e?.close());

test('the catalog shows an installed app, with no serious accessibility violations', async () => {
  await e.page.reload();
  await e.page.getByText('stdio', { exact: false }).first().waitFor({ timeout: 15_000 });
  expect(await e.page.title()).toBe('Terrarium');
  expect(await seriousViolations(e.page)).toEqual([]);
});
