/**
 * Adversarial review (secreview3) of web mode (main/web/server.ts), beyond test/web/server.test.ts:
 * a real server on 127.0.0.1 and raw requests, as a DNS-rebinding page, another local page, or a
 * page that holds the token but sends hostile frames would make them. What held:
 * - a Host other than exactly 127.0.0.1:PORT or localhost:PORT (a suffix, a userinfo, no port,
 *   IPv6 loopback, none at all) gets 421 for every file, the token never in a reply;
 * - the API's upgrade needs exactly the page's Origin (no trailing slash, other scheme, case,
 *   suffix, port or localhost), exactly /api (not /api/, /%61pi, //api), and the token as the first
 *   `token` query value, byte for byte (not a second one, not TOKEN=, not a cookie, header or
 *   subprotocol): 403, with nothing of the token echoed;
 * - hostile frames (a header longer than the frame, blobs outside it or fractional, 100,000-deep
 *   nesting, prototype names as requests, `__proto__` in arguments, odd acks) are dropped or
 *   answered `unknown-request`/`bad-request`; the server goes on answering, nothing is installed
 *   or granted, and no prototype is polluted.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { type Api, createApi } from '../../main/api/index.ts';
import { type WebServer, startWebServer } from '../../main/web/server.ts';
import { decode, encode } from '../../preload/wire.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-secreview3-web-'));
const www = path.join(root, 'www');
fs.mkdirSync(www);
fs.writeFileSync(path.join(www, 'index.html'), '<!doctype html><title>t</title>');

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
  await api.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Sends `request` as it is; resolves to the status and the whole reply. */
function raw(request: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(srv.port, '127.0.0.1', () => sock.write(request));
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      data += d;
      // An accepted upgrade keeps the socket open: its status line is enough.
      if (data.startsWith('HTTP/1.1 101')) sock.destroy();
    });
    sock.on('error', reject);
    sock.on('close', () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0), text: data }));
  });
}

function upgrade(target: string, headers: Record<string, string | undefined>): Promise<{ status: number; text: string }> {
  const h = { Host: `127.0.0.1:${srv.port}`, Origin: origin, Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers };
  const lines = Object.entries(h).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`);
  return raw(`GET ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
}

describe('DNS rebinding: the Host header', () => {
  test.each([
    (p: number) => `127.0.0.1:${p}.evil.example`,
    (p: number) => `evil.example:${p}`,
    () => '127.0.0.1',
    (p: number) => `localhost.evil.example:${p}`,
    (p: number) => `[::1]:${p}`,
    (p: number) => `user@127.0.0.1:${p}`,
    (p: number) => `127.0.0.1:${p} evil.example`,
    (p: number) => `127.0.0.01:${p}`,
    (p: number) => `2130706433:${p}`,
  ])('%s gets 421 for every file', async (host) => {
    for (const target of ['/', '/index.html', `/api?token=${srv.token}`]) {
      const r = await raw(`GET ${target} HTTP/1.1\r\nHost: ${host(srv.port)}\r\nConnection: close\r\n\r\n`);
      expect(r.status).toBe(421);
      expect(r.text).not.toContain(srv.token);
      expect(r.text).not.toContain('<title>');
    }
  });

  test('no Host at all gets 421', async () => {
    expect((await raw('GET /index.html HTTP/1.0\r\n\r\n')).status).toBe(421);
  });

  test('control: the right Host gets the page', async () => {
    const r = await raw(`GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('<title>t</title>');
  });
});

describe('the API upgrade', () => {
  test('control: the exact Origin, path and token get 101', async () => {
    expect((await upgrade(`/api?token=${srv.token}`, {})).status).toBe(101);
  });

  test.each([
    ['Origin with a trailing slash', { Origin: 'ORIGIN/' }],
    ['Origin in capitals', { Origin: 'HTTP://127.0.0.1:PORT' }],
    ['Origin https', { Origin: 'https://127.0.0.1:PORT' }],
    ['Origin with a suffix', { Origin: 'http://127.0.0.1:PORT.evil.example' }],
    ['Origin without a port', { Origin: 'http://127.0.0.1' }],
    ['Origin localhost', { Origin: 'http://localhost:PORT' }],
    ['Origin another port', { Origin: 'http://127.0.0.1:1' }],
    ['Origin file', { Origin: 'file://' }],
    ['two Origins', { Origin: 'ORIGIN, ORIGIN' }],
    ['a rebinding Host', { Host: 'evil.example:PORT' }],
  ])('%s: 403', async (_what, headers) => {
    const fill = (v: string): string => v.replace('ORIGIN', origin).replace('ORIGIN', origin).replace('PORT', String(srv.port));
    const r = await upgrade(`/api?token=${srv.token}`, Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, fill(v)])));
    expect(r.status).toBe(403);
    expect(r.text).not.toContain(srv.token);
  });

  test.each([
    ['/api/?token=T'], ['/%61pi?token=T'], ['//api?token=T'], ['/api/..?token=T'], ['/API?token=T'],
    ['/api?token=WRONG&token=T'], ['/api?TOKEN=T'], ['/api?token=T%00'], ['/api?token=%20T'], ['/api?token[]=T'],
  ])('%s: 403', async (target) => {
    const r = await upgrade(target.replace(/T(?=$|%|&)/, srv.token), {});
    expect(r.status).toBe(403);
    expect(r.text).not.toContain(srv.token);
  });

  test.each([
    ['a cookie', { Cookie: 'token=T' }],
    ['an Authorization header', { Authorization: 'Bearer T' }],
    ['a subprotocol', { 'Sec-WebSocket-Protocol': 'T' }],
  ])('the token in %s instead of the query: 403', async (_what, headers) => {
    const r = await upgrade('/api', Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('T', srv.token)])));
    expect(r.status).toBe(403);
  });
});

describe('hostile frames from a page that holds the token', () => {
  test('are dropped or refused; the server goes on, nothing installed or granted, no prototype polluted', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/api?token=${srv.token}`, { origin });
    const inbox: Record<string, unknown>[] = [];
    ws.on('message', (d, bin) => { inbox.push(decode(bin ? (d as Buffer) : d.toString()) as Record<string, unknown>); });
    await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
    const reply = async (id: number): Promise<Record<string, unknown>> => {
      for (const end = Date.now() + 15_000; Date.now() < end; await new Promise((r) => setTimeout(r, 5))) {
        const m = inbox.find((x) => x.id === id);
        if (m) return m.result as Record<string, unknown>;
      }
      throw new Error(`no reply to ${id}`);
    };
    const header = (n: number, rest: Buffer): Buffer => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(n);
      return Buffer.concat([b, rest]);
    };
    const json = (v: string): Buffer => header(Buffer.byteLength(v), Buffer.from(v));
    const binary = [
      header(0xffffffff, Buffer.from('{}')),
      header(0, Buffer.alloc(0)),
      Buffer.from([1, 2]),
      json('{"id":101,"name":"apps.list","args":{"$blob":[0,9007199254740991]}}'),
      json('{"id":102,"name":"apps.list","args":{"$blob":[-1,1]}}'),
      json('{"id":103,"name":"apps.list","args":{"$blob":[0.5,1]}}'),
      json('{"id":104,"name":"apps.list","args":{"$blob":[0,1,2]}}'),
      json('{"id":105,"name":"apps.list","args":{"$blob":[1e300,1]}}'),
    ];
    for (const b of binary) ws.send(b, { binary: true });
    const text = [
      '['.repeat(100_000),
      `{"id":106,"name":"apps.list","args":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
      '{"id":"107","name":"apps.list","args":{}}',
      '{"ack":-1}', '{"ack":1e300}', '{"ack":"x"}', '{"ack":null}',
      'null', '1', '"x"', '[]',
    ];
    for (const t of text) ws.send(t);
    const named = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'apps.list.x', ''];
    named.forEach((name, i) => ws.send(encode({ id: 200 + i, name, args: {} })));
    ws.send('{"id":300,"name":"grants.add","args":{"__proto__":{"polluted":1},"ref":"nope","hostPath":"/","access":"rw"}}');
    ws.send('{"id":301,"name":"runs.start","args":{"ref":"nope","gesture":{"__proto__":{"polluted":1}}}}');
    for (let i = 0; i < named.length; i++) expect(await reply(200 + i)).toMatchObject({ ok: false, code: 'unknown-request' });
    expect((await reply(300)).ok).toBe(false);
    expect((await reply(301)).ok).toBe(false);
    // No reply to the frames that were dropped (and only the ones that were not are answered).
    ws.send(encode({ id: 400, name: 'apps.list', args: {} }));
    expect(await reply(400)).toEqual({ ok: true, value: [] });
    const ids = inbox.map((m) => m.id).filter((x) => typeof x === 'number').sort((a, b) => (a as number) - (b as number));
    expect(ids).toEqual([...named.map((_n, i) => 200 + i), 300, 301, 400]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await api.handle('apps.list', {})).toEqual({ ok: true, value: [] });
    ws.terminate();
  });
});
