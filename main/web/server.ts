/**
 * Web mode (DESIGN §2): the built renderer and the same API over a WebSocket, on 127.0.0.1 only,
 * guarded by a random per-launch token, the Origin and the Host header (against DNS rebinding).
 * It exists so the real renderer and the real core can be driven together in a real browser.
 * Messages are text frames, or binary frames when they carry bytes (preload/wire.ts). A page opens
 * two sockets: one for events, one (`?role=requests`) that gets no events, for its requests'
 * replies (a reply to a click never waits behind output in flight). A binary message goes out as
 * WebSocket fragments, its header and then its byte arrays as they are (`encodeParts`): the browser
 * gets one message, and main never copies a run's output into a frame of its own.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import { IN_ORDER, REQUESTS_ROLE, type WireAck, type WireRequest, decode, encodeParts } from '../../preload/wire.ts';
import { type Api, holdOutput } from '../api/index.ts';
import { isPlainFast } from './plain-simd.ts';
import { contentSecurityPolicy, resolveStatic } from './static.ts';

/** A running web-mode server. */
export interface WebServer {
  /** The URL to open, token included (in the fragment, so it is never sent in a request line). */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Buffered output per client above which run output waits (backpressure); small, so a reply to a click is not queued behind seconds of output. */
const HIGH_WATER = 1024 * 1024;
/**
 * Output a client that acknowledges (WireAck) may have received-but-unacknowledged or in flight:
 * bounds what waits in sockets and in the browser ahead of a reply to a click (a reply waits for
 * the page to handle all of it). 1 MiB: throughput as with 4 MiB, a Details click answered sooner
 * (docs/design/warm-runs.md).
 */
const WINDOW = 1024 * 1024;
/**
 * Events wait in the client's queue (ours, not the socket's) until the socket has at most this
 * much not yet handed to the kernel: a reply, sent at once, then waits behind at most this much
 * (and the window in flight) instead of behind everything queued (issue 14.5, a click during a flood).
 */
const LOW_WATER = 64 * 1024;
/** Largest message accepted (a dropped module travels inside one). */
const MAX_MESSAGE = 300 * 1024 * 1024;

/** A message to send: text, or a binary message's parts (preload/wire.ts `encodeParts`). */
type Message = string | Uint8Array[];
/** Lets a queued message's bytes go (see `holdOutput`), once. */
type Release = () => void;
const nothing: Release = () => undefined;

const sizeOf = (m: Message): number => {
  if (typeof m === 'string') return m.length;
  let n = 0;
  for (const p of m) n += p.length;
  return n;
};

/**
 * Sends `m` on `ws`, `done` called once it is written: a binary message as one fragment per part,
 * back to back (nothing else can be sent in between: this runs to its end), so its bytes are
 * handed to the socket as they are instead of being copied into one frame first.
 */
function send(ws: WebSocket, m: Message, done?: (err?: Error) => void): void {
  if (typeof m === 'string') return ws.send(m, done);
  const last = m.length - 1;
  for (let i = 0; i < last; i++) ws.send(m[i]!, { binary: true, fin: false });
  ws.send(m[last]!, { binary: true, fin: true }, done);
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Serves `staticDir` and `api` on 127.0.0.1:`port` (0 = any free port), with a new random token
 * unless given one (a server started again for the same page: its window reconnects).
 */
export async function startWebServer(api: Api, staticDir: string, port = 0, token = crypto.randomBytes(24).toString('base64url')): Promise<WebServer> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${actualPort}`;
  const hostOk = (h: string | undefined): boolean => h === `127.0.0.1:${actualPort}` || h === `localhost:${actualPort}`;
  const csp = contentSecurityPolicy(actualPort);

  server.on('request', (req, res) => {
    if (!hostOk(req.headers.host)) {
      res.writeHead(421).end('wrong host');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const file = resolveStatic(req.url ?? '/', staticDir);
    if (file === null) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    fs.readFile(file.path, (err, data) => {
      if (err) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': file.type,
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : data);
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE,
  });
  /** Every open socket, and those that get events (all but requests sockets). */
  const sockets = new Set<WebSocket>();
  const clients = new Set<WebSocket>();
  /** Binary bytes sent to and acknowledged by each client that acknowledges (WireAck). */
  const windows = new Map<WebSocket, { sent: number; acked: number }>();
  /**
   * Events waiting to be sent to each client, in order, each with what lets its bytes go once
   * written (run output is held: its buffer is reused, main/runtime/output-pool.ts), and their size
   * (see LOW_WATER).
   */
  const queues = new Map<WebSocket, { frames: [Message, Release][]; bytes: number }>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const given = url.searchParams.get('token') ?? '';
    if (url.pathname !== '/api' || !hostOk(req.headers.host) || req.headers.origin !== origin || !sameToken(given, token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    // A requests socket gets replies only: no events, so no output ahead of a reply (REQUESTS_ROLE).
    const events = url.searchParams.get('role') !== REQUESTS_ROLE;
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      if (events) clients.add(ws);
      queues.set(ws, { frames: [], bytes: 0 });
      ws.on('close', () => {
        sockets.delete(ws);
        clients.delete(ws);
        windows.delete(ws);
        for (const [, letGo] of queues.get(ws)?.frames ?? []) letGo();
        queues.delete(ws);
        release();
      });
      ws.on('message', (raw, isBinary) => {
        let msg: WireRequest;
        try {
          // Binary frames carry byte arrays (a dropped module), text frames the rest (preload/wire.ts).
          const data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
          msg = decode(isBinary ? data : data.toString('utf8')) as WireRequest;
        } catch {
          return;
        }
        const ack = (msg as unknown as Partial<WireAck> | null)?.ack;
        if (typeof ack === 'number' && Number.isSafeInteger(ack) && ack >= 0) {
          // The first ack opts the client in to the window; later ones move it.
          const w = windows.get(ws);
          if (w) w.acked = Math.max(w.acked, ack);
          else windows.set(ws, { sent: ack, acked: ack });
          pump(ws);
          return;
        }
        if (typeof msg?.id !== 'number') return;
        const name = msg.name;
        void api.handle(name, msg.args).then((result) => {
          if (ws.readyState !== ws.OPEN) return;
          const frame = encodeParts({ id: msg.id, result });
          // A reply goes ahead of the events still queued (a click is answered during a flood).
          if (IN_ORDER.has(name)) enqueue(ws, frame);
          else send(ws, frame);
        });
      });
    });
  });

  let waiters: (() => void)[] = [];
  /** Output waits (the runs' gate closes) while any client has more than HIGH_WATER queued or buffered. */
  const congested = (): boolean => [...clients].some((c) => c.bufferedAmount + (queues.get(c)?.bytes ?? 0) > HIGH_WATER);
  /** Whether `c` may be sent more now: its socket is nearly drained and its window (if any) open. */
  const open = (c: WebSocket): boolean => {
    const w = windows.get(c);
    return c.bufferedAmount <= LOW_WATER && (w === undefined || w.sent - w.acked <= WINDOW);
  };
  /** Sends `c`'s queued events while it is open; called again when a send is written or an ack comes. */
  const pump = (c: WebSocket): void => {
    const q = queues.get(c);
    if (!q) return;
    while (q.frames.length > 0 && c.readyState === c.OPEN && open(c)) {
      const [frame, letGo] = q.frames.shift()!;
      const size = sizeOf(frame);
      q.bytes -= size;
      const w = windows.get(c);
      if (w && typeof frame !== 'string') w.sent += size;
      // Called once the last fragment is written to the socket, so all before it are too (a
      // socket writes in order; ws keeps the bytes it was given, uncopied, until then).
      send(c, frame, () => {
        letGo();
        pump(c);
      });
    }
    release();
  };
  const enqueue = (c: WebSocket, frame: Message, letGo: Release = nothing): void => {
    const q = queues.get(c);
    if (!q) return letGo();
    q.frames.push([frame, letGo]);
    q.bytes += sizeOf(frame);
    pump(c);
  };
  const release = (): void => {
    if (congested() || waiters.length === 0) return;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const unsubscribe = api.onEvent((name, payload) => {
    // Run output is marked plain text when it is (checked here, once, for every page: the page's
    // thread, a flood's bottleneck, then does not look at every byte again; write-batch.ts).
    const out = name === 'run.output' ? (payload as { data: Uint8Array }) : undefined;
    const frame = encodeParts({ event: name, payload: out && isPlainFast(out.data) ? { ...out, plain: true } : payload });
    // Output is held per client until its socket has written it (it may wait in the queue first).
    for (const c of clients) if (c.readyState === c.OPEN) enqueue(c, frame, out ? holdOutput(out.data) : nothing);
  });
  api.setOutputGate(() => (congested() ? new Promise<void>((r) => waiters.push(r)) : undefined));

  return {
    url: `${origin}/#token=${token}`,
    port: actualPort,
    token,
    async close() {
      unsubscribe();
      api.setOutputGate(() => undefined);
      for (const w of waiters) w();
      for (const c of sockets) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Where the built renderer is (npm run build:renderer). */
export function rendererDir(): string {
  return path.resolve(import.meta.dirname, '..', '..', 'out', 'renderer');
}
