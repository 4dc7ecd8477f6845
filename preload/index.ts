/**
 * The preload (DESIGN §2, §8): exposes the contract as `window.terrarium` with `request` and `on`,
 * plus `pathForFile` (the host path of a file the person dropped: Electron removed `File.path`, and
 * a drop on an app is a grant by gesture, DESIGN §5), and nothing else of Electron. Requests travel on one IPC channel and are
 * refused here when their name is not in the contract; events arrive on one channel and reach only
 * the listeners of their name, without the IPC event object.
 *
 * Sandboxed preloads cannot be ES modules: the build bundles this file (and api.ts, with the
 * contract's schemas whose keys are the request names) to CommonJS.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRenderer } from 'electron';
import {
  EVENT_CHANNEL, EVENT_NAMES, type EventName, type Events, REQUEST_CHANNEL, REQUEST_NAMES, type RequestArgs, type RequestName,
  type RequestResult, type Result, type TerrariumApi,
} from './api.ts';

/** The part of ipcRenderer the preload uses. */
export type PreloadIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

const requestNames: ReadonlySet<string> = new Set(REQUEST_NAMES);
const eventNames: ReadonlySet<string> = new Set(EVENT_NAMES);

/** One subscription (an object, so the same function subscribed twice is two subscriptions). */
interface Subscription {
  listener: (payload: unknown) => void;
}

/** The `window.terrarium` object over `ipc`: frozen, with `request`, `on` and `pathForFile`. */
export function createPreloadApi(ipc: PreloadIpc, pathOf: (file: File) => string = () => ''): TerrariumApi {
  const subscriptions = new Map<string, Set<Subscription>>();
  let count = 0;

  const dispatch = (_event: unknown, message: unknown): void => {
    if (typeof message !== 'object' || message === null) return;
    const { name, payload } = message as { name?: unknown; payload?: unknown };
    if (typeof name !== 'string') return;
    for (const sub of [...(subscriptions.get(name) ?? [])]) {
      try {
        sub.listener(payload);
      } catch (err) {
        console.error(`terrarium: a listener of ${name} failed`, err);
      }
    }
  };

  const request = <K extends RequestName>(name: K, args: RequestArgs<K>): Promise<Result<RequestResult<K>>> => {
    if (typeof name !== 'string' || !requestNames.has(name)) {
      return Promise.resolve({ ok: false, code: 'unknown-request', message: `unknown request ${String(name).slice(0, 64)}` });
    }
    return ipc.invoke(REQUEST_CHANNEL, name, args).then(
      (result: Result<RequestResult<K>>) => result,
      (err: unknown): Result<RequestResult<K>> => ({ ok: false, code: 'ipc-error', message: err instanceof Error ? err.message : String(err) }),
    );
  };

  const on = <K extends EventName>(name: K, listener: (payload: Events[K]) => void): (() => void) => {
    if (typeof name !== 'string' || !eventNames.has(name)) throw new TypeError(`unknown event ${String(name).slice(0, 64)}`);
    if (typeof listener !== 'function') throw new TypeError('the listener must be a function');
    const sub: Subscription = { listener: listener as (payload: unknown) => void };
    let set = subscriptions.get(name);
    if (!set) subscriptions.set(name, (set = new Set()));
    set.add(sub);
    if (count++ === 0) ipc.on(EVENT_CHANNEL, dispatch);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(sub);
      if (set.size === 0) subscriptions.delete(name);
      if (--count === 0) ipc.removeListener(EVENT_CHANNEL, dispatch);
    };
  };

  const pathForFile = (file: File): string | null => {
    try {
      return pathOf(file) || null;
    } catch {
      return null; // not a File from a drop or a file input
    }
  };
  return Object.freeze({ request, on, pathForFile });
}

contextBridge.exposeInMainWorld('terrarium', createPreloadApi(ipcRenderer, (f) => webUtils?.getPathForFile(f) ?? ''));
