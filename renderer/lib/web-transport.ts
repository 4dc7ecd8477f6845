/**
 * The renderer's side of web mode: the contract over a loopback WebSocket, with the per-launch
 * token taken from the page URL's fragment (never sent in a request line).
 */
import type { EventName, Events, RequestArgs, RequestName, RequestResult, Result, TerrariumApi } from '../../preload/api.ts';
import { type WireAck, type WireMessage, decode, encode } from '../../preload/wire.ts';

/** The API's socket address, token included. */
function socketUrl(): string {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  return `ws://${location.host}/api?token=${encodeURIComponent(token)}`;
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

/**
 * Connects to the server that served this page; resolves once the socket is open. `onLost` is
 * called when an open socket closes (the server stopped or the link dropped).
 */
export function connectWeb(onLost: () => void = () => undefined): Promise<TerrariumApi> {
  const ws = new WebSocket(socketUrl());
  // Output arrives in binary frames (preload/wire.ts): as ArrayBuffers, decoded without copies.
  ws.binaryType = 'arraybuffer';
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  // Flow control (preload/wire.ts, WireAck): the binary bytes received so far, acknowledged after
  // each binary frame is handled.
  let received = 0;
  ws.addEventListener('message', (e) => {
    if (typeof e.data !== 'string') {
      received += (e.data as ArrayBuffer).byteLength;
      queueMicrotask(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send(encode({ ack: received } satisfies WireAck));
      });
    }
    let msg: WireMessage;
    try {
      msg = decode(typeof e.data === 'string' ? e.data : (e.data as ArrayBuffer)) as WireMessage;
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
  });
  let opened = false;
  ws.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, code: 'disconnected', message: 'Terrarium is no longer running' });
    pending.clear();
    if (opened) onLost();
  });
  const api: TerrariumApi = {
    request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<Result<RequestResult<K>>> {
      if (ws.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, code: 'disconnected', message: 'Terrarium is no longer running' });
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
  return new Promise((resolve, reject) => {
    ws.addEventListener('open', () => {
      ws.send(encode({ ack: 0 } satisfies WireAck));
      opened = true;
      resolve(api);
    }, { once: true });
    ws.addEventListener('error', () => reject(new Error('cannot connect to Terrarium (is the link complete, with its token?)')), { once: true });
  });
}
