/**
 * The only module that touches `window.terrarium` (STYLE layout): the Electron preload's API when
 * present, otherwise the web transport. Components call `request`, which throws `ApiFailure` on a
 * failed result so they can show its message.
 */
import type { EventName, Events, RequestArgs, RequestName, RequestResult, TerrariumApi } from '../../preload/api.ts';
import { connectWeb } from './web-transport.ts';

/** A request that came back `{ ok: false }`. */
export class ApiFailure extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

let api: TerrariumApi | undefined;

/** Connects to main (Electron preload or web mode). Call once before anything else. */
export async function connect(): Promise<void> {
  const w = window as unknown as { terrarium?: TerrariumApi };
  api = w.terrarium ?? (await connectWeb());
}

/** Sends a request; resolves to its value or throws ApiFailure. */
export async function request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
  if (!api) throw new ApiFailure('disconnected', 'not connected');
  const r = await api.request(name, args);
  if (!r.ok) throw new ApiFailure(r.code, r.message);
  return r.value;
}

/** Subscribes to an event; returns the unsubscribe function. */
export function on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void {
  if (!api) throw new ApiFailure('disconnected', 'not connected');
  return api.on(name, listener);
}
