/**
 * The contract between the renderer and main (DESIGN §2), defined once: every request with its
 * argument and result types, every event with its payload. Main implements it (main/api), the
 * preload exposes it over Electron IPC, the web transport carries it over a loopback WebSocket;
 * the renderer imports only these types.
 */
import type { AppRecord, AppSummary, GrantInput, GrantRecord, Inspection, Manifest, RunRecord } from '../main/library/types.ts';

export type { AppRecord, AppSummary, GrantInput, GrantRecord, Inspection, Manifest, RunRecord };

/** Every result crosses the boundary as data, never as a thrown error. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Where to install from. */
export type InstallSourceInput =
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'package'; dir: string }
  /** Bytes the person dropped on the window (web mode has no file paths). */
  | { kind: 'bytes'; fileName: string; bytes: Uint8Array };

/** A catalog row with what only a running Terrarium knows. */
export interface CatalogEntry extends AppSummary {
  running: number;
}

/** One decision about an access outside an app's grants. */
export interface AuditEntry {
  id: number;
  runId: number | null;
  operation: string;
  path: string | null;
  decision: 'allowed' | 'prompted-allowed' | 'denied';
  /** When it was last decided (the same as lastAt). */
  at: string;
  /** How many times the run made this decision (repeats are counted on one entry). */
  count: number;
  firstAt: string;
  lastAt: string;
  /** A run's "and `count` more" entry for its decisions past the per-run cap (operation `*`, no path). */
  summary: boolean;
}

/** A question for the person while an app runs (ask mode, DESIGN §5). Texts are already escaped. */
export interface PromptRequest {
  promptId: string;
  runId: string;
  appId: string;
  appName: string;
  /** What the app is about to do, by its real name (every change asks as itself). */
  operation: 'read' | 'list' | 'write' | 'truncate' | 'create' | 'delete' | 'link' | 'rename' | 'set-times';
  /** The normalised host path. */
  path: string;
  /** The folder an "allow always" would grant, and how. */
  folder: string;
  grantAccess: 'read' | 'read-write';
  /** Why the app's manifest says it needs this, if it says. */
  reason: string | null;
  /** When main stops waiting and denies (ISO time). */
  expiresAt: string;
  /** The run is asking in quick succession: offer 'deny-run' and 'stop-run' first. */
  insistent: boolean;
  /**
   * "Allow changes too?" (issue 13.3): a change inside this folder, granted read-only. Allow once
   * makes it read & write for the rest of the run; allow always widens its grant (`folder`).
   */
  upgrade?: string;
}

/**
 * The person's answer: about this access, or about the whole run ('deny-run': deny everything
 * else this run asks without asking; 'stop-run': stop the run).
 */
export type PromptAnswer = 'allow-once' | 'allow-always' | 'deny' | 'deny-always' | 'deny-run' | 'stop-run';

/** Everything the app page shows. */
export interface AppDetails {
  app: AppRecord;
  grants: GrantRecord[];
  /** What happens outside the grants: ask the person, or deny without asking. */
  unknownAccess: 'ask' | 'deny';
  /** Newest first. */
  audit: AuditEntry[];
  /** Paths the person said never to ask about again ("deny always"); grants.reset clears them too. */
  denials: string[];
  builds: { version: string | null; sha256: string; size: number; installedAt: string }[];
  history: RunRecord[];
  running: number;
}

/** An inspected module waiting for the person's review before it is added. */
export interface InstallPreview {
  previewId: string;
  name: string;
  source: string;
  inspection: Inspection;
  manifest: Manifest | null;
  /** The app a confirm would update (same name and source), or null for a new app. */
  updates: { id: string; name: string } | null;
}

/** How a run ended, for the terminal's status line. */
export interface RunExit {
  runId: string;
  outcome: 'exit' | 'trap' | 'timeout' | 'cancelled' | 'crash' | 'load-error';
  exitCode: number | null;
  message: string;
}

/** A run the main process is supervising. */
export interface SessionInfo {
  runId: string;
  appId: string;
  appName: string;
  /** The arguments the app got (its default ones, then the ones given), without argv[0]. */
  args: string[];
  startedAt: string;
}

/**
 * A run a reloaded window gets back (issue 13.5): live or finished, its latest output (at most
 * main's bound, launcher/scrollback.ts) and how many earlier bytes were not kept.
 */
export interface RecentRun extends SessionInfo {
  /** How it ended; null while it runs. */
  exit: RunExit | null;
  output: Uint8Array;
  cut: number;
}

/** One folder of the in-app folder browser (web mode's stand-in for native dialogs). */
export interface FolderListing {
  path: string;
  parent: string | null;
  entries: { name: string; kind: 'dir' | 'file' }[];
}

/** An app's shortcuts and shell command (desktop only; web mode reports `available: false`). */
export interface IntegrationState {
  available: boolean;
  /** Why shortcuts and commands cannot be made here (absent in web mode, which says so itself). */
  reason?: string;
  items: { kind: 'menu' | 'desktop' | 'command'; path: string }[];
}

/** What a launch asks the window to do: review a double-clicked .wasm, open an app's terminal, or (the menu) install from a URL. */
export type ShellCommand = { kind: 'open-file'; path: string } | { kind: 'run'; app: string } | { kind: 'install-url' };

/** Requests: name → [argument, result]. */
export interface Requests {
  'system.info': [Record<string, never>, { transport: 'electron' | 'web'; platform: string; home: string }];
  'apps.list': [{ search?: string; sort?: 'name' | 'installed' | 'last-run' }, CatalogEntry[]];
  'apps.get': [{ ref: string }, AppDetails];
  /** A page of the audit log, newest first: entries with an id below `before` (the last one shown). */
  'apps.audit': [{ ref: string; before?: number; limit?: number }, AuditEntry[]];
  'apps.uninstall': [{ ref: string }, null];
  'install.preview': [{ source: InstallSourceInput; sha256?: string; progressId?: string }, InstallPreview];
  'install.confirm': [{ previewId: string; name?: string }, { action: 'installed' | 'updated' | 'unchanged'; app: AppRecord }];
  'install.cancel': [{ previewId: string }, null];
  /** Runs a reviewed module without installing it: no grants, every access asked, nothing kept but a log entry. */
  'install.runOnce': [{ previewId: string; cols: number; rows: number }, SessionInfo];
  'grants.add': [{ ref: string; grants: GrantInput[] }, GrantRecord[]];
  'grants.revoke': [{ ref: string; ids: number[] }, GrantRecord[]];
  'grants.reset': [{ ref: string }, GrantRecord[]];
  /**
   * Starts a run. `files` and `folders` are grants by gesture (DESIGN §5): files the person dropped
   * or chose are passed as arguments and readable and writable for this run only, nothing else in
   * their folders; folders are granted for this run, or kept when `always`.
   */
  'runs.start': [{ ref: string; args?: string[]; cols: number; rows: number; files?: string[]; folders?: { path: string; always: boolean }[] }, SessionInfo];
  'runs.input': [{ runId: string; data: string }, null];
  'runs.resize': [{ runId: string; cols: number; rows: number }, null];
  'runs.stop': [{ runId: string }, null];
  'runs.list': [Record<string, never>, SessionInfo[]];
  /** Live runs and the last finished ones, with their kept output (a reloaded window's tabs). */
  'runs.recent': [Record<string, never>, RecentRun[]];
  /** A window closed a finished run's tab: main lets its output go. */
  'runs.forget': [{ runId: string }, null];
  'prompt.answer': [{ promptId: string; answer: PromptAnswer }, null];
  'prompt.pending': [Record<string, never>, PromptRequest[]];
  'apps.setUnknownAccess': [{ ref: string; mode: 'ask' | 'deny' }, null];
  'denials.remove': [{ ref: string; path: string }, string[]];
  'integration.get': [{ ref: string }, IntegrationState];
  'integration.addShortcuts': [{ ref: string; menu: boolean; desktop: boolean }, IntegrationState];
  'integration.addCommand': [{ ref: string; name: string }, IntegrationState];
  'integration.remove': [{ ref: string }, IntegrationState];
  'fs.list': [{ path?: string }, FolderListing];
  'dialog.chooseFolder': [Record<string, never>, string | null];
  'dialog.chooseFile': [{ wasm?: boolean }, string | null];
}

/** Events from main: name → payload. */
export interface Events {
  /** Terminal output of a run (guest output after the terminal filter, plus the line discipline's echo). */
  'run.output': { runId: string; data: Uint8Array };
  'run.exit': RunExit;
  'install.progress': { progressId: string; received: number; total: number | null };
  /** The catalog or an app's grants changed; views refresh. */
  'apps.changed': { appId: string | null };
  /** A running app asks for something its grants do not cover; answer with prompt.answer. */
  'prompt.request': PromptRequest;
  /** A prompt was answered (maybe in another window) or expired. */
  'prompt.closed': { promptId: string; answer: PromptAnswer };
  /** A launch (double-clicked .wasm, `Terrarium --run APP`, a second instance) for the window to act on. */
  'shell.command': ShellCommand;
}

export type RequestName = keyof Requests;
export type RequestArgs<K extends RequestName> = Requests[K][0];
export type RequestResult<K extends RequestName> = Requests[K][1];
export type EventName = keyof Events;

/** What the renderer sees as `window.terrarium`. */
export interface TerrariumApi {
  request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<Result<RequestResult<K>>>;
  on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void;
  /** Electron only: the host path of a dropped File (null when it has none). */
  pathForFile?(file: File): string | null;
}

/** Every request name, for routers that must reject anything else. */
export const REQUEST_NAMES = [
  'system.info', 'apps.list', 'apps.get', 'apps.uninstall', 'install.preview', 'install.confirm',
  'install.cancel', 'grants.add', 'grants.revoke', 'grants.reset', 'runs.start', 'runs.input',
  'runs.resize', 'runs.stop', 'runs.list', 'runs.recent', 'runs.forget', 'fs.list', 'dialog.chooseFolder', 'dialog.chooseFile',
  'prompt.answer', 'prompt.pending', 'apps.setUnknownAccess', 'denials.remove',
  'integration.get', 'integration.addShortcuts', 'integration.addCommand', 'integration.remove', 'install.runOnce',
  'apps.audit',
] as const satisfies readonly RequestName[];

/** Every event name. */
export const EVENT_NAMES = ['run.output', 'run.exit', 'install.progress', 'apps.changed', 'prompt.request', 'prompt.closed', 'shell.command'] as const satisfies readonly EventName[];

/** The Electron IPC channel requests travel on (one, with the request name inside). */
export const REQUEST_CHANNEL = 'terrarium:request';
/** The Electron IPC channel events travel on. */
export const EVENT_CHANNEL = 'terrarium:event';

// Compile-time check that REQUEST_NAMES and EVENT_NAMES list every request and event.
type MissingRequest = Exclude<RequestName, (typeof REQUEST_NAMES)[number]>;
type MissingEvent = Exclude<EventName, (typeof EVENT_NAMES)[number]>;
export const CONTRACT_COMPLETE: [MissingRequest, MissingEvent] extends [never, never] ? true : never = true;
