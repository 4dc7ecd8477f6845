/**
 * The contract between the renderer and main (DESIGN §2): its requests (requests.ts) and events
 * (events.ts) are defined once as valibot schemas, and every type here is derived from them. Main
 * implements it (main/api, which checks every request with its schema), the preload exposes it
 * over Electron IPC, the web transport carries it over a loopback WebSocket; the renderer imports
 * only these types. The shapes results carry are the contract's own (shapes.ts).
 */
import type * as v from 'valibot';
import { EVENTS } from './events.ts';
import { REQUESTS } from './requests.ts';
import type { Returns } from './schema-parts.ts';
import type { Events, InstallSource } from './shapes.ts';

export type * from './shapes.ts';

/** Every result crosses the boundary as data, never as a thrown error. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Where to install from (the contract's InstallSource, under the name main/cli knows it by). */
export type InstallSourceInput = InstallSource;

/** A request's name. */
export type RequestName = keyof typeof REQUESTS;
/** What a caller sends as request `K`'s arguments. */
export type RequestArgs<K extends RequestName> = v.InferInput<(typeof REQUESTS)[K]['args']>;
/** Request `K`'s arguments once checked (what its handler gets). */
export type CheckedArgs<K extends RequestName> = v.InferOutput<(typeof REQUESTS)[K]['args']>;
/** Request `K`'s result. */
export type RequestResult<K extends RequestName> = (typeof REQUESTS)[K]['result'] extends Returns<infer T> ? T : never;

/** An event's name. */
export type EventName = keyof typeof EVENTS;
/** A listener of every event of the contract (the core's emitter, the transports' forwarders). */
export type EventSink = <K extends EventName>(name: K, payload: Events[K]) => void;

/** The person's answer to a prompt (see PROMPT_ANSWERS). */
export type PromptAnswer = Events['prompt.closed']['answer'];
/** What a launch asks the window to do. */
export type ShellCommand = Events['shell.command'];

/** What the renderer sees as `window.terrarium`. */
export interface TerrariumApi {
  request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<Result<RequestResult<K>>>;
  on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void;
  /** Electron only: the host path of a dropped File (null when it has none). */
  pathForFile?(file: File): string | null;
}

/** The Electron IPC channel requests travel on (one, with the request name inside). */
export const REQUEST_CHANNEL = 'terrarium:request';
/** The Electron IPC channel events travel on. */
export const EVENT_CHANNEL = 'terrarium:event';


/** Every request name, for routers that must reject anything else. */
export const REQUEST_NAMES = Object.freeze(Object.keys(REQUESTS) as RequestName[]);
/** Every event name. */
export const EVENT_NAMES = Object.freeze(Object.keys(EVENTS) as EventName[]);
