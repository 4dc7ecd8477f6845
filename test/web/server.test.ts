/**
 * Web mode's server (main/web): a real server on 127.0.0.1 with a temporary static folder, probed
 * with raw HTTP requests and a real `ws` client — static files and their headers, traversal,
 * DNS rebinding (Host), the WebSocket's token/Origin/path checks, and output backpressure.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { type Api, createApi } from '../../main/api/index.ts';
import { type WebServer, startWebServer } from '../../main/web/server.ts';
import { resolveStatic } from '../../main/web/static.ts';
import { decode, encode } from '../../preload/wire.ts';
import { floodModule } from '../helpers/flood-module.ts';
import { FIXTURES } from '../helpers/paths.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-web-'));
const www = path.join(root, 'www');
const SECRET = 'TOP-SECRET-OUTSIDE-THE-STATIC-DIR';
fs.mkdirSync(path.join(www, 'assets'), { recursive: true });
fs.writeFileSync(path.join(www, 'index.html'), '<!doctype html><title>t</title><script type="module" src="/assets/app.js"></script>');
fs.writeFileSync(path.join(www, 'assets', 'app.js'), 'console.log(1);');
fs.writeFileSync(path.join(root, 'secret.txt'), SECRET);
fs.mkdirSync(path.join(www, 'sub'));

let api: Api;
let srv: WebServer;
let origin: string;
beforeAll(async () => {
  api = createApi({ transport: 'web', home: fs.mkdtempSync(path.join(root, 'home-')) });
  srv = await startWebServer(api, www, 0);
  origin = `http://127.0.0.1:${srv.port}`;
});
afterAll(async () => {
  await srv.close();
  api.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** One raw HTTP/1.0 exchange (no chunking): exactly these bytes go out. */
function raw(request: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(srv.port, '127.0.0.1', () => sock.write(request));
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => (data += d));
    sock.on('error', reject);
    sock.on('close', () => {
      const i = data.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0), head: data.slice(0, i).toLowerCase(), body: data.slice(i + 4) });
    });
  });
}
const get = (target: string, host = `127.0.0.1:${srv.port}`, method = 'GET') =>
  raw(`${method} ${target} HTTP/1.0\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);

describe('static files', () => {
  test('the URL carries the token in the fragment only, on 127.0.0.1', () => {
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/#token=${srv.token}`);
    expect(srv.token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  test('GET / serves index.html with a strict CSP and nosniff', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body).toBe(fs.readFileSync(path.join(www, 'index.html'), 'latin1'));
    expect(r.head).toMatch(/\r\ncontent-type: text\/html/);
    expect(r.head).toContain('\r\nx-content-type-options: nosniff');
    const csp = /\r\ncontent-security-policy: ([^\r]*)/.exec(r.head)?.[1] ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
  });

  test('assets get their type; HEAD has no body; POST is refused', async () => {
    const js = await get('/assets/app.js');
    expect([js.status, js.body]).toEqual([200, 'console.log(1);']);
    expect(js.head).toMatch(/\r\ncontent-type: text\/javascript/);
    const head = await get('/assets/app.js', undefined, 'HEAD');
    expect([head.status, head.body]).toEqual([200, '']);
    expect((await get('/', undefined, 'POST')).status).toBe(405);
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/sub')).status).toBe(404); // a folder is not a file
  });

  const traversals = [
    '/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/assets/../../secret.txt',
    '/assets/..%2f..%2fsecret.txt', '/..\\secret.txt', '/%5c..%5csecret.txt', '/assets%5c..%5c..%5csecret.txt',
    '/index.html%00', '/%00../secret.txt', '/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/assets/../../etc/passwd',
    `/..%2f${path.basename(root)}%2fsecret.txt`, `/${'..%2f'.repeat(12)}etc%2fpasswd`, '/%252e%252e/secret.txt',
    '//etc/passwd', 'http://evil.example/../secret.txt', `/..%2f..%2f${root.slice(1).replaceAll('/', '%2f')}%2fsecret.txt`,
  ];
  test.each(traversals)('traversal %s → 404, nothing outside served', async (target) => {
    const r = await get(target);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain(SECRET);
    expect(r.body).not.toContain('root:');
  });

  test('a raw NUL in the request line is refused', async () => {
    const r = await get('/index.html\0.js');
    expect([400, 404]).toContain(r.status);
  });

  test.each([
    ['evil.example:PORT', 421], ['evil.example', 421], ['127.0.0.1', 421], ['127.0.0.1:1', 421], ['', 421],
    ['127.0.0.1:PORT', 200], ['localhost:PORT', 200],
  ] as const)('Host %s → %i', async (host, status) => {
    const h = host.replace('PORT', String(srv.port));
    const r = h === '' ? await raw('GET / HTTP/1.0\r\n\r\n') : await get('/', h);
    expect(r.status).toBe(status);
    if (status !== 200) expect(r.body).not.toContain('<script');
  });
});

describe('resolveStatic', () => {
  test.each([
    ['/', 'index.html'], ['', 'index.html'], ['/index.html', 'index.html'], ['/assets/app.js', 'assets/app.js'],
    ['/assets/app.js?x=1#y', 'assets/app.js'], ['/%61ssets/app.js', 'assets/app.js'], ['/assets/./app.js', 'assets/app.js'],
    ['/missing', null], ['/sub', null], ['/assets', null], ['/../secret.txt', null], ['/..%2fsecret.txt', null],
    ['/%2e%2e%2fsecret.txt', null], ['/assets%2f..%2f..%2fsecret.txt', null], ['/a\\b', null], ['/%5c', null],
    ['/index.html%00', null], ['/%E0%A4%A', null], ['/%', null],
  ] as const)('%j → %s', (url, rel) => {
    const r = resolveStatic(url, www);
    expect(r?.path ?? null).toBe(rel === null ? null : path.join(www, rel));
  });

  test('types', () => {
    expect(resolveStatic('/index.html', www)?.type).toMatch(/^text\/html/);
    expect(resolveStatic('/assets/app.js', www)?.type).toMatch(/^text\/javascript/);
  });

  test('a root given with a trailing separator works the same', () => {
    expect(resolveStatic('/index.html', www + path.sep)?.path).toBe(path.join(www, 'index.html'));
    expect(resolveStatic('/../secret.txt', www + path.sep)).toBeNull();
  });
});

type Opened = { ws: WebSocket; inbox: Record<string, unknown>[] };
function connect(url: string, opts: WebSocket.ClientOptions = {}): Promise<Opened | { refused: number | string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, opts);
    const inbox: Record<string, unknown>[] = [];
    ws.on('message', (d, bin) => { inbox.push(decode(bin ? (d as Buffer) : d.toString()) as Record<string, unknown>); });
    ws.once('open', () => resolve({ ws, inbox }));
    ws.once('unexpected-response', (_req, res) => { resolve({ refused: res.statusCode ?? 0 }); ws.terminate(); });
    ws.once('error', (e) => resolve({ refused: (e as Error).message }));
  });
}
const sockets: WebSocket[] = [];
afterEach(() => { for (const s of sockets.splice(0)) s.terminate(); });
async function good(): Promise<Opened> {
  const c = await connect(`ws://127.0.0.1:${srv.port}/api?token=${srv.token}`, { origin });
  if (!('ws' in c)) throw new Error(`refused: ${c.refused}`);
  sockets.push(c.ws);
  return c;
}
let nextId = 1;
async function call(c: Opened, name: string, args: unknown): Promise<{ ok: boolean; value?: unknown; code?: string }> {
  const id = nextId++;
  c.ws.send(encode({ id, name, args }));
  for (const end = Date.now() + 15_000; Date.now() < end; await new Promise((r) => setTimeout(r, 5))) {
    const m = c.inbox.find((x) => x.id === id);
    if (m) return m.result as { ok: boolean; value?: unknown; code?: string };
  }
  throw new Error(`no reply to ${name}`);
}

describe('WebSocket', () => {
  test.each([
    ['no token', (p: number) => `ws://127.0.0.1:${p}/api`, 'origin'],
    ['an empty token', (p: number) => `ws://127.0.0.1:${p}/api?token=`, 'origin'],
    ['a wrong token', (p: number) => `ws://127.0.0.1:${p}/api?token=${'A'.repeat(32)}`, 'origin'],
    ['the token with a suffix', (p: number) => `ws://127.0.0.1:${p}/api?token=${srv.token}x`, 'origin'],
    ['a wrong Origin', (p: number) => `ws://127.0.0.1:${p}/api?token=${srv.token}`, 'http://evil.example'],
    ['a null Origin', (p: number) => `ws://127.0.0.1:${p}/api?token=${srv.token}`, 'null'],
    ['no Origin', (p: number) => `ws://127.0.0.1:${p}/api?token=${srv.token}`, undefined],
    ['another path', (p: number) => `ws://127.0.0.1:${p}/ws?token=${srv.token}`, 'origin'],
    ['the root path', (p: number) => `ws://127.0.0.1:${p}/?token=${srv.token}`, 'origin'],
  ] as const)('refused with %s', async (_what, url, o) => {
    const c = await connect(url(srv.port), o === undefined ? {} : { origin: o === 'origin' ? origin : o });
    if ('ws' in c) sockets.push(c.ws);
    expect('refused' in c ? c.refused : 'opened').toBe(403);
  });

  test('refused with a rebinding Host even with the token', async () => {
    const c = await connect(`ws://127.0.0.1:${srv.port}/api?token=${srv.token}`, { origin, headers: { Host: `evil.example:${srv.port}` } });
    expect('refused' in c ? c.refused : 'opened').toBe(403);
  });

  test('with the token and Origin: requests answered, events arrive, junk ignored', async () => {
    const c = await good();
    expect(await call(c, 'apps.list', {})).toEqual({ ok: true, value: [] });
    c.ws.send('not json');
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    c.ws.send(encode({ name: 'apps.list', args: {} }));
    expect(await call(c, 'no.such', {})).toMatchObject({ ok: false, code: 'unknown-request' });
    const bytes = fs.readFileSync(path.join(FIXTURES, 'stdio.wasm'));
    const p = await call(c, 'install.preview', { source: { kind: 'bytes', fileName: 'stdio.wasm', bytes: new Uint8Array(bytes) } });
    expect(p.ok).toBe(true);
    const done = await call(c, 'install.confirm', { previewId: (p.value as { previewId: string }).previewId });
    const appId = (done.value as { app: { id: string } }).app.id;
    await until(() => c.inbox.some((m) => m.event === 'apps.changed' && (m.payload as { appId: string }).appId === appId));
    const run = (await call(c, 'runs.start', { ref: appId, args: ['echo'], cols: 80, rows: 24 })).value as { runId: string };
    await call(c, 'runs.input', { runId: run.runId, data: 'hi\r\x04' });
    await until(() => c.inbox.some((m) => m.event === 'run.exit'));
    const out = c.inbox.filter((m) => m.event === 'run.output').map((m) => (m.payload as { data: Uint8Array }).data);
    expect(out.every((d) => d instanceof Uint8Array)).toBe(true);
    expect(Buffer.concat(out).toString()).toMatch(/^hi\r\nhi\nok \d+ checks\n$/);
    // Plain text (printable ASCII, tab, CR, LF), so marked so: the page need not look at its bytes again.
    expect(c.inbox.filter((m) => m.event === 'run.output').map((m) => (m.payload as { plain?: boolean }).plain)).toEqual(out.map(() => true));
    await call(c, 'apps.uninstall', { ref: appId });
  });

  test('binary run output arrives as bytes, byte for byte (many writes batched into one event)', async () => {
    const c = await good();
    const p = await call(c, 'install.preview', { source: { kind: 'file', path: path.join(FIXTURES, 'stdio.wasm') } });
    const appId = ((await call(c, 'install.confirm', { previewId: (p.value as { previewId: string }).previewId, name: 'pattern' })).value as { app: { id: string } }).app.id;
    const run = (await call(c, 'runs.start', { ref: appId, args: ['pattern'], cols: 80, rows: 24 })).value as { runId: string };
    await until(() => c.inbox.some((m) => m.event === 'run.exit' && (m.payload as { runId: string }).runId === run.runId));
    const datas = c.inbox.filter((m) => m.event === 'run.output').map((m) => (m.payload as { data: unknown }).data);
    expect(datas.map((d) => (d instanceof Uint8Array ? 'bytes' : JSON.stringify(d).slice(0, 40)))).toEqual(datas.map(() => 'bytes'));
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const expected = Buffer.concat([all, all.subarray(128), all.subarray(0, 128), Buffer.from('E\0\xff\r\n\0\n\xfeend', 'latin1')]);
    const got = Buffer.concat(datas as Uint8Array[]);
    expect(got.subarray(0, expected.length).equals(expected)).toBe(true);
    expect(got.subarray(expected.length).toString()).toMatch(/^ok \d+ checks\n$/);
    // Output with control bytes or beyond ASCII is not marked plain.
    expect((c.inbox.find((m) => m.event === 'run.output')!.payload as { plain?: boolean }).plain).toBeUndefined();
    await call(c, 'apps.uninstall', { ref: appId });
  });

  test('listens on 127.0.0.1 only', async () => {
    const tryConnect = (host: string) => new Promise<string>((resolve) => {
      const s = net.connect({ host, port: srv.port, family: host.includes(':') ? 6 : 4 }, () => { s.destroy(); resolve('connected'); });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(await tryConnect('127.0.0.1')).toBe('connected');
    expect(await tryConnect('127.0.0.2')).not.toBe('connected');
    const external = Object.values(os.networkInterfaces()).flat().filter((i) => i && !i.internal && i.family === 'IPv4');
    for (const i of external) expect(await tryConnect(i!.address), i!.address).not.toBe('connected');
  });
});

async function until(f: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; !f(); await new Promise((r) => setTimeout(r, 10))) if (Date.now() > end) throw new Error('timed out');
}

test('backpressure: a client that stops reading holds a flooding guest back, and it resumes', async () => {
  const c = await good();
  const p = await call(c, 'install.preview', { source: { kind: 'bytes', fileName: 'flood.wasm', bytes: floodModule() } });
  expect(p, JSON.stringify(p)).toMatchObject({ ok: true });
  const appId = ((await call(c, 'install.confirm', { previewId: (p.value as { previewId: string }).previewId })).value as { app: { id: string } }).app.id;
  let emitted = 0;
  const off = api.onEvent((n, payload) => { if (n === 'run.output') emitted += (payload as { data: Uint8Array }).data.length; });
  const run = (await call(c, 'runs.start', { ref: appId, cols: 80, rows: 24 })).value as { runId: string };
  const socket = (c.ws as unknown as { _socket: net.Socket })._socket;
  socket.pause();
  try {
    // Emitted output must level off (the guest is blocked), not grow for as long as it runs.
    let last = -1;
    for (const end = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 400))) {
      if (emitted > 0 && emitted === last) break;
      expect(Date.now(), `output kept flowing to a paused client: ${emitted} bytes`).toBeLessThan(end);
      last = emitted;
    }
    await new Promise((r) => setTimeout(r, 600));
    expect(emitted).toBe(last);
    expect(emitted).toBeLessThan(64 * 1024 * 1024);
    const paused = emitted;
    const received = c.inbox.length;
    socket.resume();
    await until(() => emitted > paused + 2 * 1024 * 1024 && c.inbox.length > received + 3, 20_000);
  } finally {
    socket.resume();
    off();
  }
  await api.handle('runs.stop', { runId: run.runId });
  await until(() => c.inbox.some((m) => m.event === 'run.exit' && (m.payload as { runId: string }).runId === run.runId), 20_000);
  expect((c.inbox.find((m) => m.event === 'run.exit')!.payload as { outcome: string }).outcome).toBe('cancelled');
});

test('output queued for a slow client is sent as it was: the run\'s reused output buffers are held until the socket wrote them', async () => {
  // Main's output buffers are reused (main/runtime/output-pool.ts): one reused while a frame that
  // refers to it waits in the server's queue or the socket would send later output in its place.
  const c = await good();
  const p = await call(c, 'install.preview', { source: { kind: 'bytes', fileName: 'counted.wasm', bytes: floodModule(true) } });
  const appId = ((await call(c, 'install.confirm', { previewId: (p.value as { previewId: string }).previewId })).value as { app: { id: string } }).app.id;
  const parts: Uint8Array[] = [];
  let received = 0;
  let runId = '';
  c.ws.on('message', (d, bin) => {
    if (!bin) return;
    const m = decode(d as Buffer) as { event?: string; payload?: { runId: string; data: Uint8Array } };
    if (m.event === 'run.output' && m.payload!.runId === runId) {
      parts.push(m.payload!.data);
      received += m.payload!.data.length;
    }
  });
  const run = (await call(c, 'runs.start', { ref: appId, cols: 80, rows: 24 })).value as { runId: string };
  runId = run.runId;
  const socket = (c.ws as unknown as { _socket: net.Socket })._socket;
  // The client stops reading now and then, so frames wait in main's queue and its socket.
  try {
    for (let i = 0; i < 6; i++) {
      socket.pause();
      await new Promise((r) => setTimeout(r, 150));
      socket.resume();
      const at = received;
      await until(() => received > at + 2 * 1024 * 1024, 20_000);
    }
  } finally {
    socket.resume();
  }
  await api.handle('runs.stop', { runId });
  await until(() => c.inbox.some((m) => m.event === 'run.exit' && (m.payload as { runId: string }).runId === runId), 20_000);
  const all = Buffer.concat(parts);
  const unit = 60000;
  expect(all.length).toBeGreaterThan(12 * 1024 * 1024);
  const zeros = Buffer.alloc(unit - 4);
  for (let k = 0; (k + 1) * unit <= all.length; k++) {
    const n = all.readUInt32LE(k * unit);
    if (n !== k + 1 || !all.subarray(k * unit + 4, (k + 1) * unit).equals(zeros)) {
      expect.fail(`write ${k + 1} arrived as write ${n} (at byte ${k * unit} of ${all.length})`);
    }
  }
  await call(c, 'apps.uninstall', { ref: appId });
});

test('flow control: a client that acknowledges has at most a window of output unacknowledged, and more follows its acks', async () => {
  const c = await good();
  // A reading client that opts in (ack 0) and then acknowledges only when told to.
  let bytes = 0;
  let autoAck = false;
  c.ws.on('message', (d, bin) => {
    if (bin) bytes += (d as Buffer).length;
    if (bin && autoAck) c.ws.send(encode({ ack: bytes }));
  });
  c.ws.send(encode({ ack: 0 }));
  // A name of its own: dropped bytes never update an app, and the backpressure test's flood.wasm stays installed.
  const p = await call(c, 'install.preview', { source: { kind: 'bytes', fileName: 'flood-acks.wasm', bytes: floodModule() } });
  const appId = ((await call(c, 'install.confirm', { previewId: (p.value as { previewId: string }).previewId })).value as { app: { id: string } }).app.id;
  let emitted = 0;
  const off = api.onEvent((n, payload) => { if (n === 'run.output') emitted += (payload as { data: Uint8Array }).data.length; });
  const run = (await call(c, 'runs.start', { ref: appId, cols: 80, rows: 24 })).value as { runId: string };
  try {
    // The client reads everything, but without acks output levels off.
    let last = -1;
    for (const end = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 400))) {
      if (emitted > 0 && emitted === last) break;
      expect(Date.now(), `output kept flowing without acks: ${emitted} bytes`).toBeLessThan(end);
      last = emitted;
    }
    // What was sent without acks stays about the window (1 MiB, plus the frame that crossed it); the
    // rest waits in main's queue, not in the socket, and the run is held once that queue is full.
    await new Promise((r) => setTimeout(r, 400));
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    expect(emitted).toBeLessThan(8 * 1024 * 1024);
    const held = emitted;
    autoAck = true;
    c.ws.send(encode({ ack: bytes }));
    await until(() => emitted > held + 2 * 1024 * 1024, 20_000);
  } finally {
    autoAck = true;
    off();
  }
  await api.handle('runs.stop', { runId: run.runId });
  await until(() => c.inbox.some((m) => m.event === 'run.exit' && (m.payload as { runId: string }).runId === run.runId), 20_000);
});

test('a requests socket (?role=requests) gets no events, and its requests are answered while the events socket is stuck behind a flood', async () => {
  const events = await good();
  events.ws.send(encode({ ack: 0 })); // opts in to the window, and never acknowledges more
  const r = await connect(`ws://127.0.0.1:${srv.port}/api?token=${srv.token}&role=requests`, { origin });
  if (!('ws' in r)) throw new Error(`refused: ${r.refused}`);
  sockets.push(r.ws);
  // A name of its own (dropped bytes never update an app: docs/design/secreview2.md, hole 3).
  const p = await call(r, 'install.preview', { source: { kind: 'bytes', fileName: 'flood-requests.wasm', bytes: floodModule() } });
  const appId = ((await call(r, 'install.confirm', { previewId: (p.value as { previewId: string }).previewId })).value as { app: { id: string } }).app.id;
  let emitted = 0;
  const off = api.onEvent((n, payload) => { if (n === 'run.output') emitted += (payload as { data: Uint8Array }).data.length; });
  const socket = (events.ws as unknown as { _socket: net.Socket })._socket;
  socket.pause();
  try {
    const run = (await call(r, 'runs.start', { ref: appId, cols: 80, rows: 24 })).value as { runId: string };
    await until(() => emitted > 0);
    // The events socket reads nothing: its output waits in the sockets and main's queue, and a
    // reply on it would wait behind all of it. The requests socket still answers.
    expect(await call(r, 'apps.list', {})).toMatchObject({ ok: true });
    expect(await call(r, 'runs.stop', { runId: run.runId })).toMatchObject({ ok: true });
    expect(r.inbox.filter((m) => 'event' in m).map((m) => m.event)).toEqual([]);
    socket.resume();
    events.ws.on('message', (_d, bin) => { if (bin) events.ws.send(encode({ ack: 1e15 })); });
    events.ws.send(encode({ ack: 1e15 }));
    await until(() => events.inbox.some((m) => m.event === 'run.exit' && (m.payload as { runId: string }).runId === run.runId), 20_000);
    expect(r.inbox.filter((m) => 'event' in m)).toEqual([]);
  } finally {
    socket.resume();
    off();
  }
  await call(r, 'apps.uninstall', { ref: appId });
});
