/**
 * A run's first output is drawn in the first frame after it reaches the page (issue 14.4): the
 * page parses it in the task that brought it, so xterm.js asks for that frame before the frame
 * begins. The check is an ordering, not a time: an animation-frame callback asked for right after
 * the page's own handler of the output message runs after every callback the handler asked for,
 * so in it the terminal's rows hold the output only if the handler had it parsed and drawn.
 * (Parsed on xterm's own 0 ms timer, the rows are still empty then, and the output comes a frame
 * later: the fault this guards against.)
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, seed, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, paneOf, stopAllRuns, terminalText, tile } from '../helpers/e2e/ui.ts';

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
  await seed(e.api, fixture('stdio.wasm'));
  await e.page.addInitScript(() => {
    const w = window as unknown as { __rows: string | null; __sockets: WebSocket[] };
    w.__rows = null;
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
    Base.prototype.send = function (this: WebSocket, d: Parameters<WebSocket['send']>[0]) {
      if (typeof d === 'string' && d.includes('runs.start')) {
        Base.prototype.send = send;
        for (const ws of sockets) ws.addEventListener('message', (ev: MessageEvent) => {
          if (w.__rows !== null || !(ev.data instanceof ArrayBuffer)) return;
          const head = new TextDecoder().decode(new Uint8Array(ev.data, 4, new DataView(ev.data).getUint32(0, true)));
          if (!head.includes('run.output')) return;
          w.__rows = '';
          requestAnimationFrame(() => {
            w.__rows = [...document.querySelectorAll('[data-testid="terminal-pane"] .xterm-rows')].map((r) => r.textContent).join('\n');
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
  // Its first line: what each of its standard descriptors is.
  await expect.poll(() => terminalText(paneOf(page, 'stdio')), { timeout: UI_TIMEOUT }).toContain('fd0 filetype=');
  // The frame asked for as the first output message was handled had it drawn.
  await expect.poll(() => page.evaluate(() => (window as unknown as { __rows: string | null }).__rows), { timeout: UI_TIMEOUT }).toContain('fd0 filetype=');
});
