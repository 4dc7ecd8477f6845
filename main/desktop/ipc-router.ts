/**
 * Electron IPC transport of the contract (DESIGN §2): one request channel whose handler checks
 * the sender and the request name before the core sees anything, and one event channel. Arguments
 * are validated by the core (main/api); this layer never trusts or interprets them.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { EVENT_CHANNEL, type EventName, type EventSink, type Events, REQUEST_CHANNEL, REQUEST_NAMES, type RequestName, type Result } from '../../preload/api.ts';
import { INTERNAL_MESSAGE } from '../api/errors.ts';
import { isAppUrl } from './app-origin.ts';

/** The core's request entry point: runs a request with untrusted args, never throws. */
export type RequestHandler = (name: RequestName, args: unknown) => Promise<Result<unknown>>;

/** A listener of every event of the contract (the contract's own type). */
export type { EventSink };

/** The core's event subscription: returns the unsubscribe function. */
export type EventSubscribe = (listener: EventSink) => () => void;

/** What crosses the event channel. */
export interface EventMessage<K extends EventName = EventName> {
  name: K;
  payload: Events[K];
}

const requestNames: ReadonlySet<string> = new Set(REQUEST_NAMES);

/** True when `name` is a request of the contract. */
export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && requestNames.has(name);
}

function failure(code: string, message: string): Result<never> {
  return { ok: false, code, message };
}

/**
 * Serves the contract on REQUEST_CHANNEL: messages from senders `trusted` refuses get `forbidden`,
 * unknown request names `unknown-request`; everything else goes to `handle` with its arguments
 * untouched. Returns a function that removes the handler.
 */
export function registerApi(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handle: RequestHandler,
  trusted: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  ipcMain.handle(REQUEST_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, args: unknown): Promise<Result<unknown>> => {
    let ok = false;
    try {
      ok = trusted(event) === true;
    } catch {
      ok = false;
    }
    if (!ok) return failure('forbidden', 'this request did not come from the Terrarium window');
    if (!isRequestName(name)) return failure('unknown-request', `unknown request ${String(name).slice(0, 64)}`);
    try {
      return await handle(name, args);
    } catch (err) {
      // The core promises never to throw; if it does, the renderer still gets data, not an exception.
      console.error(`terrarium: request ${name} failed`, err);
      return failure('internal', INTERNAL_MESSAGE);
    }
  });
  return () => ipcMain.removeHandler(REQUEST_CHANNEL);
}

/** The part of a WebContents events are sent to. */
export type EventTarget = Pick<WebContents, 'send' | 'isDestroyed' | 'getURL' | 'once'>;

/**
 * Run output whose bytes are part of a larger buffer, as a copy of just them: Electron's IPC clones
 * a view's whole ArrayBuffer, and run output is lent in a reused ~1 MiB one (main/runtime/output-pool.ts):
 * a 6-byte "hello\n" would cross as a MiB. The copy is made during the event, as the lending requires.
 */
function wholeBytes(p: Events['run.output']): Events['run.output'] {
  const d = p.data;
  return d.byteOffset === 0 && d.byteLength === d.buffer.byteLength ? p : { ...p, data: d.slice() };
}

/**
 * Sends every event from `subscribe` to `contents` on EVENT_CHANNEL as `{ name, payload }`, but
 * only while it shows the app's own page. Stops when the contents is destroyed or when the returned
 * function is called.
 */
export function forwardEvents(subscribe: EventSubscribe, contents: EventTarget): () => void {
  let unsubscribe: (() => void) | null = null;
  const stop = (): void => {
    unsubscribe?.();
    unsubscribe = null;
  };
  unsubscribe = subscribe((name, payload) => {
    if (contents.isDestroyed()) return stop();
    if (!isAppUrl(contents.getURL())) return;
    const message: EventMessage = { name, payload: name === 'run.output' ? wholeBytes(payload as Events['run.output']) : payload };
    try {
      contents.send(EVENT_CHANNEL, message);
    } catch {
      stop();
    }
  });
  contents.once('destroyed', stop);
  return stop;
}
