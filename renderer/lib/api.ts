/**
 * The only module that touches `window.terrarium` (STYLE layout): the Electron preload's API when
 * present, otherwise the web transport. Components call `request`, which throws `ApiFailure` on a
 * failed result so they can show its message.
 */
import type { EventName, Events, RequestArgs, RequestName, RequestResult, TerrariumApi } from '../../preload/api.ts';
import { connection } from './state/connection.svelte.ts';
import { connectWeb, probeWeb } from './web-transport.ts';

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
  api = w.terrarium ?? (await connectWeb(() => connection.dropped(probeWeb)));
}

/** Sends a request; resolves to its value or throws ApiFailure. */
export async function request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
  if (!api) throw new ApiFailure('disconnected', 'not connected');
  const r = await api.request(name, args);
  if (!r.ok) throw new ApiFailure(r.code, r.message);
  return r.value;
}

/**
 * The host path of a file dropped on the window, or null when the page cannot know it: web mode
 * never can (a browser hands over the bytes, not the location), and the desktop app only if its
 * preload offers `pathForFile` (Electron's webUtils.getPathForFile; File.path is gone since
 * Electron 32). Callers fall back to asking the person to choose the file.
 */
export function pathForFile(file: File): string | null {
  const w = window as unknown as { terrarium?: { pathForFile?: unknown } };
  const f = w.terrarium?.pathForFile;
  if (typeof f !== 'function') return null;
  try {
    const p: unknown = f(file);
    return typeof p === 'string' && p !== '' ? p : null;
  } catch {
    return null;
  }
}

/** Subscribes to an event; returns the unsubscribe function. */
export function on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void {
  if (!api) throw new ApiFailure('disconnected', 'not connected');
  return api.on(name, listener);
}
