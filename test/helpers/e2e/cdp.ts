/**
 * A bare Chromium driven over the DevTools protocol, for measurements that Playwright would
 * distort. Playwright enables the Network domain on every page, so Chromium copies each WebSocket
 * frame's payload into a `Network.webSocketFrameReceived` event to the driving process: during an
 * output flood that is the whole flood a second time (140 MB of JSON for 100 MiB of output),
 * parsed in the same Node process as the core under test. This client enables no domain at all;
 * it only evaluates, clicks and reads heap usage.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { browserPath } from './harness.ts';

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--remote-debugging-port=0', '--no-default-browser-check',
];

/** One page of a Chromium of its own. */
export interface RawPage {
  /** Calls `listener` with the params of each DevTools event `method` (enable its domain first). */
  on(method: string, listener: (params: unknown) => void): void;
  /** A DevTools command to the page. */
  send<T = unknown>(method: string, params?: object): Promise<T>;
  /** The value of `expression` (awaited if it is a promise), or a rejection after `timeoutMs`. */
  evaluate<T>(expression: string, timeoutMs?: number): Promise<T>;
  /** A left click at (x, y) in CSS pixels, as the mouse would make it. */
  click(x: number, y: number): Promise<void>;
  /** The centre of the first element matching `selector`. */
  centre(selector: string): Promise<{ x: number; y: number }>;
  close(): Promise<void>;
}

/** Launches Chromium on `url` at `width` × `height`, with `extraFlags` after the usual ones. */
export async function launchRawPage(url: string, width = 1280, height = 800, extraFlags: readonly string[] = []): Promise<RawPage> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-chromium-raw-'));
  const proc: ChildProcess = spawn(browserPath(), [...FLAGS, ...extraFlags, `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${text}`)), 30_000);
    proc.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`Chromium exited with ${code}: ${text}`)));
  });
  proc.stderr!.resume();

  const ws = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
  const events = new Map<string, ((params: unknown) => void)[]>();
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw.toString()) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
    if (msg.id === undefined) {
      for (const l of events.get(msg.method ?? '') ?? []) l(msg.params);
      return;
    }
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) p?.reject(new Error(`${p.method}: ${msg.error.message}`));
    else p?.resolve(msg.result);
  });
  ws.on('close', () => {
    for (const p of pending.values()) p.reject(new Error(`${p.method}: DevTools connection closed`));
    pending.clear();
  });
  const raw = <T>(method: string, params: object = {}, sessionId?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });

  const { targetInfos } = await raw<{ targetInfos: { targetId: string; type: string }[] }>('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'page');
  if (!target) throw new Error('Chromium has no page');
  const { sessionId } = await raw<{ sessionId: string }>('Target.attachToTarget', { targetId: target.targetId, flatten: true });
  const send = <T>(method: string, params: object = {}): Promise<T> => raw<T>(method, params, sessionId);

  const evaluate = async <T>(expression: string, timeoutMs = 60_000): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`evaluation timed out after ${timeoutMs} ms: ${expression.slice(0, 120)}`)), timeoutMs);
    });
    try {
      const r = await Promise.race([
        send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', {
          expression, awaitPromise: true, returnByValue: true,
        }),
        timeout,
      ]);
      if (r.exceptionDetails) throw new Error(`page threw: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value as T;
    } finally {
      clearTimeout(timer);
    }
  };

  await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  await send('Page.navigate', { url });

  return {
    send,
    evaluate,
    on(method, listener) {
      events.set(method, [...(events.get(method) ?? []), listener]);
    },
    async click(x, y) {
      await send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
      await send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', buttons: 1, clickCount: 1 });
      await send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', buttons: 0, clickCount: 1 });
    },
    async centre(selector) {
      const c = await evaluate<{ x: number; y: number } | null>(`(() => {
        const el = document.querySelector(${JSON.stringify(selector)});
        if (!el) return null;
        const b = el.getBoundingClientRect();
        return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
      })()`);
      if (!c) throw new Error(`nothing matches ${selector}`);
      return c;
    },
    async close() {
      ws.close();
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise<void>((r) => proc.once('exit', () => r()));
        proc.kill();
        await exited;
      }
      // Chromium's helper processes can still be writing the profile as the browser exits.
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

/**
 * Resolves (in the page, without round trips) to the first truthy value of `condition`, checked
 * every `everyMs`; rejects after `timeoutMs`.
 */
export function waitFor<T>(page: RawPage, condition: string, timeoutMs: number, everyMs = 16): Promise<T> {
  return page.evaluate<T>(`new Promise((resolve, reject) => {
    const start = performance.now();
    const tick = () => {
      let v;
      try { v = (${condition}); } catch { v = undefined; }
      if (v) resolve(v);
      else if (performance.now() - start > ${timeoutMs}) reject(new Error('timed out waiting for: ' + ${JSON.stringify(condition)}));
      else setTimeout(tick, ${everyMs});
    };
    tick();
  })`, timeoutMs + 5_000);
}
