/**
 * The window's activity log is paged, not a silent window (issue 9, point 6): the app page shows
 * the newest 200 entries and "Load older" fetches the next pages (apps.audit) until the first
 * entry; a flooding run's summary entry says how many decisions it stands for.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Library } from '../../main/library/library.ts';
import { AUDIT_ROWS_PER_RUN } from '../../main/library/audit.ts';
import { type E2E, fixture, screenshot, seed, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, tile } from '../helpers/e2e/ui.ts';

let e: E2E;
const EARLY = 30;
const FLOOD = AUDIT_ROWS_PER_RUN + 100;

beforeAll(async () => {
  e = await startE2E();
  const appId = await seed(e.api, fixture('stdio.wasm'));
  // A second connection, as another Terrarium process would write it.
  const lib = Library.open(e.home);
  try {
    for (let i = 0; i < EARLY; i++) lib.recordAudit(appId, null, 'read', `/early/${i}`, 'denied');
    const runId = lib.runStarted(lib.app(appId), [], []);
    lib.db.transaction(() => {
      for (let i = 0; i < FLOOD; i++) lib.recordAudit(appId, runId, 'read', `/flood/${i}`, 'denied');
    })();
  } finally {
    lib.close();
  }
  await e.page.reload();
}, 60_000);

afterAll(async () => {
  await e?.close();
});

test('"Load older" pages through the whole activity log, down to the first entry', async () => {
  const { page } = e;
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'stdio').getByTestId('app-details').click();
  const rows = page.getByTestId('audit-row');
  await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(200);
  // Newest first: the flood's summary, then its last kept entries.
  expect(await page.getByTestId('audit-summary').innerText()).toBe('and 100 more denied in this run, not listed one by one');
  const more = page.getByTestId('audit-load-older');
  await more.click();
  await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(400);
  await more.click();
  const total = EARLY + AUDIT_ROWS_PER_RUN + 1;
  await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(total);
  await expect.poll(() => more.count(), { timeout: UI_TIMEOUT }).toBe(0);
  expect(await rows.last().getAttribute('data-path')).toBe('/early/0');
  const paths = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-path')));
  expect(new Set(paths).size).toBe(total);
  await page.getByTestId('audit-filter-denied').check();
  await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(total);
  await screenshot(page, 'audit-paged');
}, 120_000);
