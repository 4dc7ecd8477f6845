/**
 * What the launcher tells its owner: five of the contract's events, with the contract's own payloads
 * and shapes (preload/shapes.ts, the one declaration of each), imported by type only. The launcher
 * loads nothing of the contract and never sees its requests, channels or surface (preload/api.ts);
 * main/api hands the launcher its event sink as it is.
 */
import type { Events } from '../../preload/shapes.ts';

export type { PromptRequest, RecentRun, RunExit, SessionInfo } from '../../preload/shapes.ts';

/** The events the launcher emits (each with the contract's payload, `Events[K]`). */
export type LauncherEvent = 'run.output' | 'run.exit' | 'apps.changed' | 'prompt.request' | 'prompt.closed';

/** Where the launcher sends its events (the contract's EventSink fits it as it is). */
export type LauncherEmit = <K extends LauncherEvent>(name: K, payload: Events[K]) => void;
