/**
 * A run's first output is drawn in the first frame after it reaches the page (issue 14.4): the
 * page parses it in the task that brought it, so xterm.js asks for that frame before the frame
 * begins. The check is an ordering, not a time: an animation-frame callback asked for right after
 * the page's own handler of the output message runs after every callback the handler asked for,
 * so in it the terminal's rows hold the output only if the handler had it parsed and drawn.
 * (Parsed on xterm's own 0 ms timer, the rows are still empty then, and the output comes a frame
 * later: the fault this guards against.)
 *
 * In that same frame nothing else the Run set off may have come first (docs/design/wpage.md,
 * "Between the click and the first output"): the terminal takes the keyboard only in the frame
 * after (focusing it was 3-5 ms of that frame), and the catalog, hidden behind the pane, is not
 * reloaded for the run's `apps.changed` yet (a request, then a render). The Run button clicked
 * gives up the keyboard in the click's own task (left focused while hidden, Chromium's focus
 * fix-up lays the page out in a task of its own, ahead of the reply and the output).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, seed, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, paneOf, stopAllRuns, terminalText, tile, waitForRun } from '../helpers/e2e/ui.ts';

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
  await seed(e.api, fixture('stdio.wasm'));
  await e.page.addInitScript(() => {
    const w = window as unknown as { __rows: string | null; __sockets: WebSocket[]; __focus: string | null; __lists: number; __listsAtFrame: number | null; __afterClick: string | null };
    w.__rows = null;
    w.__focus = null;
    w.__lists = 0;
    w.__listsAtFrame = null;
    w.__afterClick = null;
    // What has the keyboard at the end of the Run click's handling (a listener on window runs after
    // the page's own, delegated to its root).
    window.addEventListener('click', (ev) => {
      if ((ev.target as Element | null)?.closest?.('[data-testid="app-run"]')) w.__afterClick = document.activeElement?.tagName ?? null;
    });
    const sockets: WebSocket[] = (w.__sockets = []);
    const Base = WebSocket;
    window.WebSocket = class extends Base {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets.push(this);
      }
    };
    // Listeners added once a run is asked for come after the page's own (added when each socket opened).
    const send = Base.prototype.send;
    // The second run is watched: the first is cold (compiled at the click), and a slow machine may
    // take longer than the 200 ms after which a pane takes the keyboard anyway.
    let starts = 0;
    Base.prototype.send = function (this: WebSocket, d: Parameters<WebSocket['send']>[0]) {
      if (typeof d === 'string' && d.includes('"apps.list"')) w.__lists++;
      if (typeof d === 'string' && d.includes('runs.start') && ++starts === 2) {
        w.__lists = 0;
        for (const ws of sockets) ws.addEventListener('message', (ev: MessageEvent) => {
          if (w.__rows !== null || !(ev.data instanceof ArrayBuffer)) return;
          const head = new TextDecoder().decode(new Uint8Array(ev.data, 4, new DataView(ev.data).getUint32(0, true)));
          if (!head.includes('run.output')) return;
          w.__rows = '';
          requestAnimationFrame(() => {
            w.__rows = [...document.querySelectorAll('[data-testid="terminal-pane"] .xterm-rows')].map((r) => r.textContent).join('\n');
            w.__focus = document.activeElement?.closest('.xterm') ? 'terminal' : (document.activeElement?.tagName ?? null);
            w.__listsAtFrame = w.__lists;
          });
        });
      }
      return send.call(this, d);
    };
  });
  await e.page.reload();
  await tile(e.page, 'stdio').waitFor({ timeout: UI_TIMEOUT });
});
afterAll(async () => {
  await stopAllRuns(e.api).catch(() => undefined);
  await e?.close();
});

test("a run's first output is in the terminal's rows at the first frame after it arrives", async () => {
  const { page } = e;
  await tile(page, 'stdio').getByTestId('app-run').click();
  await waitForRun(paneOf(page, 'stdio'), 'exited');
  await page.getByTestId('terminal-tab-close').click();
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'stdio').getByTestId('app-run').click();
  // Its first line: what each of its standard descriptors is.
  await expect.poll(() => terminalText(paneOf(page, 'stdio')), { timeout: UI_TIMEOUT }).toContain('fd0 filetype=');
  // The frame asked for as the first output message was handled had it drawn.
  await expect.poll(() => page.evaluate(() => (window as unknown as { __rows: string | null }).__rows), { timeout: UI_TIMEOUT }).toContain('fd0 filetype=');
  const seen = await page.evaluate(() => {
    const w = window as unknown as { __focus: string | null; __listsAtFrame: number | null; __afterClick: string | null };
    return { __focus: w.__focus, __listsAtFrame: w.__listsAtFrame, __afterClick: w.__afterClick };
  });
  // The Run button let go of the keyboard in the click's task; in the output's frame the terminal does not have it yet...
  expect(seen.__afterClick).toBe('BODY');
  expect(seen.__focus).toBe('BODY');
  // ...and the hidden catalog was not asked for again.
  expect(seen.__listsAtFrame).toBe(0);
  // The terminal takes the keyboard right after, and the catalog is reloaded a moment later.
  await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea') ?? false), { timeout: UI_TIMEOUT }).toBe(true);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __lists: number }).__lists), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
});
