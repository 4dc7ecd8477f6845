/**
 * The renderer's side of web mode: the contract over two loopback WebSockets (events, and requests),
 * with the per-launch token taken from the page URL's fragment (never sent in a request line).
 */
import type { EventName, Events, RequestArgs, RequestName, RequestResult, Result, TerrariumApi } from '../../preload/api.ts';
import { IN_ORDER, REQUESTS_ROLE, type WireAck, type WireMessage, decode, encode } from '../../preload/wire.ts';

/** The API's socket address, token included; `role` REQUESTS_ROLE for the socket that gets no events. */
function socketUrl(role?: string): string {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  return `ws://${location.host}/api?token=${encodeURIComponent(token)}${role ? `&role=${role}` : ''}`;
}

/** True once a new socket to the server opens (the server is back, and takes this page's token). */
export function probeWeb(): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(socketUrl());
    ws.addEventListener('open', () => {
      ws.close();
      resolve(true);
    }, { once: true });
    ws.addEventListener('error', () => resolve(false), { once: true });
  });
}

/** A socket of the connection, resolved once open, rejected if it cannot open. */
function openSocket(url: string): { ws: WebSocket; opened: Promise<void> } {
  const ws = new WebSocket(url);
  // Output arrives in binary frames (preload/wire.ts): as ArrayBuffers, decoded without copies.
  ws.binaryType = 'arraybuffer';
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('cannot connect to Terrarium (is the link complete, with its token?)')), { once: true });
  });
  return { ws, opened };
}

/**
 * Connects to the server that served this page; resolves once both its sockets are open: events
 * (and the IN_ORDER replies) on one, the other requests and their replies on the other, so a reply
 * to a click never waits behind output in flight (preload/wire.ts REQUESTS_ROLE). `onLost` is
 * called once when an open socket closes (the server stopped or the link dropped).
 */
export async function connectWeb(onLost: () => void = () => undefined): Promise<TerrariumApi> {
  const events = openSocket(socketUrl());
  const requests = openSocket(socketUrl(REQUESTS_ROLE));
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const handle = (data: string | ArrayBuffer): void => {
    let msg: WireMessage;
    try {
      msg = decode(data) as WireMessage;
    } catch (err) {
      console.error('terrarium: a message from main could not be read', err);
      return;
    }
    if ('id' in msg) {
      pending.get(msg.id)?.(msg.result as Result<unknown>);
      pending.delete(msg.id);
    } else {
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
    }
  };
  // Flow control (preload/wire.ts, WireAck): the binary bytes received so far on the events socket,
  // acknowledged after each binary frame is handled.
  let received = 0;
  const ews = events.ws;
  ews.addEventListener('message', (e) => {
    if (typeof e.data !== 'string') {
      received += (e.data as ArrayBuffer).byteLength;
      queueMicrotask(() => {
        if (ews.readyState === WebSocket.OPEN) ews.send(encode({ ack: received } satisfies WireAck));
      });
    }
    handle(e.data as string | ArrayBuffer);
  });
  requests.ws.addEventListener('message', (e) => handle(e.data as string | ArrayBuffer));
  let opened = false;
  let lost = false;
  const close = (): void => {
    for (const resolve of pending.values()) resolve({ ok: false, code: 'disconnected', message: 'Terrarium is no longer running' });
    pending.clear();
    if (lost) return;
    lost = true;
    // One socket gone is the link gone: the other is closed too, and the page told once.
    ews.close();
    requests.ws.close();
    if (opened) onLost();
  };
  ews.addEventListener('close', close);
  requests.ws.addEventListener('close', close);
  const api: TerrariumApi = {
    request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<Result<RequestResult<K>>> {
      const ws = IN_ORDER.has(name) ? ews : requests.ws;
      if (lost || ws.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, code: 'disconnected', message: 'Terrarium is no longer running' });
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        ws.send(encode({ id, name, args }));
      });
    },
    on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };
  try {
    await Promise.all([events.opened, requests.opened]);
  } catch (err) {
    close();
    throw err;
  }
  ews.send(encode({ ack: 0 } satisfies WireAck));
  opened = true;
  return api;
}
