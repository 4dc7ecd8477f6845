/**
 * Output floods (issue 4, point 5): e2e_flood.wasm writes 100 MiB of printable text to stdout in
 * 64 KiB writes, then "FLOOD-DONE <bytes>". Started from the UI, it must stream through to the
 * terminal while the UI keeps handling clicks, with memory bounded in the browser and in main.
 *
 * Every byte must reach the page, in order (checked against the flood's pattern as the frames
 * arrive). The figures (click latency, throughput, memory, main's event-loop delay) are logged as
 * `flood: …` lines; the window's throughput target is measured by `npm run bench:window`. The assertions are functional (each click is handled while the flood is still
 * running) plus generous memory bounds, never timing thresholds.
 *
 * The browser is a bare Chromium over the DevTools protocol (./cdp.ts), not Playwright: Playwright
 * would receive every WebSocket frame again as a DevTools event (the whole flood, in this very
 * process, next to the core), which starves its own commands for the length of the flood and
 * inflates this process's memory. The core runs in this process, as in the harness: its RSS is
 * "main's".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Api, createApi } from '../../main/api/index.ts';
import { type WebServer, rendererDir, startWebServer } from '../../main/web/server.ts';
import type { RunExit } from '../../preload/api.ts';
import { type RawPage, launchRawPage, waitFor } from '../helpers/e2e/cdp.ts';
import { fixture, seed } from '../helpers/e2e/harness.ts';
import { call, stopAllRuns } from '../helpers/e2e/ui.ts';

const MiB = 1024 * 1024;
const FLOOD_MIB = 100;
const FLOOD_TIMEOUT = 85_000;
const PANE = '[data-testid="terminal-pane"][data-app-name="e2e_flood"]';
const TAB = '[data-testid="terminal-tab"][data-app-name="e2e_flood"]';

let home: string;
let api: Api;
let server: WebServer;
let page: RawPage;
let appId: string;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-flood-'));
  api = createApi({ transport: 'web', home });
  server = await startWebServer(api, rendererDir());
  appId = await seed(api, fixture('e2e_flood.wasm'));
  page = await launchRawPage(server.url);
  // Every output byte the page receives is checked against the flood's pattern, in order.
  await page.send('Page.enable');
  await page.send('Page.addScriptToEvaluateOnNewDocument', { source: CHECK_ARRIVALS });
  await page.send('Page.reload');
  await waitInPage(`document.querySelector('[data-testid="app-tile"][data-app-name="e2e_flood"] [data-testid="app-run"]')`, 30_000);
});
afterAll(async () => {
  if (api) await stopAllRuns(api).catch(() => undefined);
  await page?.close();
  await server?.close();
  api?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

/**
 * Runs in the page before its own scripts: a WebSocket whose first listener reads each binary
 * `run.output` frame (preload/wire.ts) and checks its bytes against e2e_flood.c's 64 KiB pattern,
 * in order, up to the final marker; `window.__arrivals` says how many matched and the first mismatch.
 */
const CHECK_ARRIVALS = `(() => {
  const LINE = 64, CHUNK = 65536;
  const pattern = new Uint8Array(CHUNK);
  for (let i = 0; i < CHUNK; i++) pattern[i] = i % LINE === LINE - 1 ? 10 : 33 + ((Math.floor(i / LINE) + (i % LINE)) % 94);
  const a = window.__arrivals = { bytes: 0, matched: 0, mismatchAt: -1, tail: '' };
  const Base = WebSocket;
  window.WebSocket = class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string') return;
        const all = new Uint8Array(e.data);
        const n = new DataView(e.data).getUint32(0, true);
        const msg = JSON.parse(new TextDecoder().decode(all.subarray(4, 4 + n)));
        if (msg.event !== 'run.output') return;
        const [start, len] = msg.payload.data.$blob;
        const d = all.subarray(4 + n + start, 4 + n + start + len);
        for (let i = 0; i < d.length; i++, a.bytes++) {
          if (a.mismatchAt >= 0) break;
          if (d[i] === pattern[a.bytes % CHUNK]) a.matched++;
          else if (a.tail.length < 64) a.tail += String.fromCharCode(d[i]);
          else a.mismatchAt = a.bytes;
        }
      });
    }
  };
})()`;

const mb = (bytes: number): string => (bytes / MiB).toFixed(1);

/** Resolves (in the page, without round trips) to the first truthy value of `condition`. */
const waitInPage = <T>(condition: string, timeoutMs = FLOOD_TIMEOUT): Promise<T> => waitFor<T>(page, condition, timeoutMs);

/** The renderer's JS heap as DevTools counts it (performance.memory is coarse and cached without a flag). */
async function heapNow(): Promise<number> {
  const h = await page.send<{ usedSize: number; backingStorageSize?: number }>('Runtime.getHeapUsage');
  return h.usedSize + (h.backingStorageSize ?? 0);
}

/**
 * Clicks `selector` with the mouse and measures, in the page, from the pointer going down (the
 * input event's own timestamp) to the frame that first shows a visible `effect`; also notes
 * whether the flood's tab was still running in that frame.
 */
async function measuredClick(selector: string, effect: string): Promise<{ ms: number; tabState: string | null }> {
  await page.evaluate(`(() => {
    const r = { downAt: null, shownAt: null, tabState: null };
    window.__click = r;
    const target = document.querySelector(${JSON.stringify(selector)});
    target.addEventListener('pointerdown', (ev) => (r.downAt = ev.timeStamp), { once: true, capture: true });
    const shown = () => [...document.querySelectorAll(${JSON.stringify(effect)})].some((el) => el.offsetParent !== null);
    const check = () => {
      if (r.downAt === null || r.shownAt !== null || !shown()) return;
      obs.disconnect();
      requestAnimationFrame(() => {
        r.shownAt = performance.now();
        r.tabState = document.querySelector(${JSON.stringify(TAB)})?.getAttribute('data-state') ?? null;
      });
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] });
    target.addEventListener('click', () => queueMicrotask(check), { once: true });
  })()`);
  const { x, y } = await page.centre(selector);
  await page.click(x, y);
  const r = await waitInPage<{ downAt: number; shownAt: number; tabState: string | null }>('window.__click.shownAt !== null && window.__click');
  return { ms: r.shownAt - r.downAt, tabState: r.tabState };
}

test(`a ${FLOOD_MIB} MiB output flood streams through with a responsive UI and bounded memory`, { timeout: 120_000 }, async () => {
  // Main's side: output bytes and the exit, as the core emits them.
  let firstOutputAt = 0;
  let lastOutputAt = 0;
  let bytes = 0;
  let exit: RunExit | null = null;
  let exitAt = 0;
  const off = api.onEvent((name, payload) => {
    if (name === 'run.output') {
      const now = performance.now();
      if (!firstOutputAt) firstOutputAt = now;
      lastOutputAt = now;
      bytes += (payload as { data: Uint8Array }).data.length;
    } else if (name === 'run.exit') {
      exit = payload as RunExit;
      exitAt = performance.now();
    }
  });

  // Memory: main's RSS sampled here, the renderer's heap through DevTools, both at their peak;
  // and how late main's event loop runs (it serves every request of the UI).
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
  const heapBefore = await heapNow();
  let heapPeak = heapBefore;
  let sampling = true;
  const heapSampler = (async () => {
    while (sampling) {
      heapPeak = Math.max(heapPeak, await heapNow().catch(() => 0));
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  try {
    // Start it from the catalog's Run button, timing from the pointer going down.
    const runButton = '[data-testid="app-tile"][data-app-name="e2e_flood"] [data-testid="app-run"]';
    await page.evaluate(`document.querySelector(${JSON.stringify(runButton)}).addEventListener('pointerdown', (ev) => (window.__runAt = ev.timeStamp), { once: true, capture: true })`);
    loop.enable();
    const run = await page.centre(runButton);
    await page.click(run.x, run.y);
    // The flood is on screen: rows of its printable text.
    await waitInPage(`(() => { const rows = document.querySelector('${PANE} .xterm-rows'); return rows !== null && /[!-~]{63}/.test(rows.innerText); })()`, 30_000);
    const mainAtFirstClick = bytes;

    // While it floods: the catalog link (UI only), an app's Details (a request to main and back),
    // and the terminal tab again.
    const clicks = [
      { what: 'catalog link', ...(await measuredClick('[data-testid="nav-catalog"]', '[data-testid="app-tile"]')) },
      { what: 'Details (apps.get round trip)', ...(await measuredClick('[data-testid="app-tile"][data-app-name="e2e_flood"] [data-testid="app-details"]', '[data-testid="app-page"] [data-testid="run-history"]')) },
      { what: 'terminal tab', ...(await measuredClick(TAB, PANE)) },
    ];
    for (const c of clicks) console.log(`flood: click handled in ${c.ms.toFixed(0)} ms (${c.what}; flood tab ${c.tabState} then)`);
    const mainAtLastClick = { bytes, exited: exit !== null };

    // The end: the final marker on screen, then the exit status.
    const doneAt = await waitInPage<number>(`document.querySelector('${PANE} .xterm-rows')?.innerText.includes('FLOOD-DONE ${FLOOD_MIB * MiB}') && performance.now()`);
    const status = await waitInPage<{ outcome: string; code: string }>(`(() => {
      const s = document.querySelector('${PANE} [data-testid="run-status"][data-state="exited"]');
      return s && { outcome: s.getAttribute('data-outcome'), code: s.getAttribute('data-exit-code') };
    })()`);
    loop.disable();
    const runAt = await page.evaluate<number>('window.__runAt');
    sampling = false;
    await heapSampler;
    clearInterval(rssTimer);

    const seconds = (doneAt - runAt) / 1000;
    const mainSeconds = (lastOutputAt - firstOutputAt) / 1000;
    const perfMemory = await page.evaluate<number>('performance.memory ? performance.memory.usedJSHeapSize : -1');
    const heapAfter = await heapNow();
    const rssAfter = process.memoryUsage().rss;
    console.log(`flood: ${mb(bytes)} MiB in ${seconds.toFixed(1)} s from the Run click to the final marker on screen = ${(bytes / MiB / seconds).toFixed(1)} MiB/s`);
    console.log(`flood: main emitted it in ${mainSeconds.toFixed(1)} s = ${(bytes / MiB / mainSeconds).toFixed(1)} MiB/s (first to last output event, paced by the web transport's backpressure); the exit event ${((exitAt - lastOutputAt) / 1000).toFixed(2)} s after`);
    console.log(`flood: main's event loop delay during the flood: mean ${(loop.mean / 1e6).toFixed(0)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`);
    console.log(`flood: renderer heap (used + backing stores) ${mb(heapBefore)} MiB before, ${mb(heapPeak)} MiB peak, ${mb(heapAfter)} MiB after; performance.memory.usedJSHeapSize ${mb(perfMemory)} MiB`);
    console.log(`flood: main RSS ${mb(rssBefore)} MiB before, ${mb(rssPeak)} MiB peak (+${mb(rssPeak - rssBefore)}), ${mb(rssAfter)} MiB after`);
    console.log(`flood: main had emitted ${mb(mainAtFirstClick)} MiB at the first click and ${mb(mainAtLastClick.bytes)} MiB after the last${mainAtLastClick.exited ? ' (the run had exited)' : ''}`);

    // Every byte came out, reached the page in order, the run ended normally and is recorded.
    expect(bytes).toBeGreaterThanOrEqual(FLOOD_MIB * MiB);
    const arrivals = await page.evaluate<{ matched: number; mismatchAt: number; tail: string }>('window.__arrivals');
    expect(arrivals).toEqual({ bytes: FLOOD_MIB * MiB + `FLOOD-DONE ${FLOOD_MIB * MiB}\n`.length, matched: FLOOD_MIB * MiB, mismatchAt: -1, tail: `FLOOD-DONE ${FLOOD_MIB * MiB}\n` });
    expect(exit).toMatchObject({ outcome: 'exit', exitCode: 0 });
    expect(status).toEqual({ outcome: 'exit', code: '0' });
    expect((await call(api, 'apps.get', { ref: appId })).history[0]).toMatchObject({ outcome: 'exit', exitCode: 0 });
    // Each click was handled while the flood was still streaming, not after it.
    for (const c of clicks) expect(c.tabState, c.what).toBe('running');
    expect(mainAtFirstClick).toBeLessThan(FLOOD_MIB * MiB);
    // Memory stayed bounded: the flood is not held anywhere.
    expect(heapPeak).toBeLessThan(400 * MiB);
    expect(perfMemory).toBeLessThan(400 * MiB);
    expect(rssPeak - rssBefore).toBeLessThan(500 * MiB);
  } finally {
    sampling = false;
    clearInterval(rssTimer);
    loop.disable();
    off();
    await heapSampler;
  }
});
