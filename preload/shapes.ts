/**
 * The shapes the contract's results and events carry, owned by the contract (pure types), and the
 * one declaration of each: the library's records (main/library/types.ts) and the launcher's events
 * (main/launcher/events.ts) are these types, imported by type only (the core loads nothing of the
 * contract; .dependency-cruiser.cjs `core-takes-contract-shapes-as-types`), and main/api passes them
 * on as they are. A new field is one line here; the compiler then names the code that must make it.
 */
import type * as v from 'valibot';
import type { EVENTS } from './events.ts';
import type { DECISIONS, GRANT_ACCESS, LIMIT_NAMES, SORT_ORDERS, UNKNOWN_ACCESS, grantInput, installSource } from './schema-parts.ts';

export type { PromptRequest } from './events.ts';

/** Events from main: name → payload (each derived from its schema in events.ts). */
export type Events = { [K in keyof typeof EVENTS]: v.InferOutput<(typeof EVENTS)[K]> };

/** How a run ended, for the terminal's status line. */
export type RunExit = Events['run.exit'];

/** What a module can possibly do, grouped from the preview1 functions it imports. */
export type Capability =
  | 'files' | 'environment' | 'arguments' | 'clocks' | 'randomness' | 'sockets' | 'process exit' | 'terminal i/o';

/** What an app's manifest (e.g. wasmer.toml) declares it would like: shown, never granted. */
export interface Manifest {
  package?: { name: string; version?: string; description?: string };
  commands: { name: string; module: string }[];
  /** Declared needs, e.g. a folder the app expects to see and why. */
  needs: { kind: 'folder'; guest: string; host?: string; reason?: string }[];
}

/** The result of inspecting a module; the library stores it with the app as JSON. */
export interface Inspection {
  sha256: string;
  size: number;
  kind: 'command';
  wasi: 'preview1' | '0.2';
  /** Components only (issue 15). */
  component?: ComponentInspection;
  exports: { name: string; kind: string }[];
  wasiFunctions: string[];
  capabilities: Partial<Record<Capability, string[]>>;
  producers: Record<string, { name: string; version: string }[]>;
  moduleName: string | null;
  /** Initial and maximum memory in 64 KiB pages. */
  memory: { min: number; max: number | null; shared: boolean } | null;
}

/** A WASI 0.2 component's own facts (issue 15). */
export interface ComponentInspection {
  /** The world it is run as: only commands (components that export `wasi:cli/run`) are installed. */
  world: 'wasi:cli/command';
  /** Top-level imports and exports, e.g. `wasi:filesystem/types@0.2.0`. */
  imports: string[];
  exports: string[];
  /**
   * How it runs: `preview1-core` when its core module 0 imports only `wasi_snapshot_preview1`
   * (built by the preview1 adapter) and runs on the preview1 runtime directly; otherwise
   * `wasi-0.2-host`, Terrarium's WASI 0.2 host.
   */
  path: 'preview1-core' | 'wasi-0.2-host';
  /** `wasi-0.2-host`: what install-time transpilation stored (library/transpiled-store.ts). */
  transpiled?: { transpiler: string; sha256: string; size: number; ms: number };
}

/** What kind of program an app is: a WASI preview1 core module or a WASI 0.2 component (migration 0008). */
export type AppKind = 'preview1' | 'component';

/** An installed app. Times are ISO 8601 strings. */
export interface AppRecord {
  id: string;
  name: string;
  version: string | null;
  description: string | null;
  source: { kind: 'file' | 'url' | 'package'; location: string };
  sha256: string;
  size: number;
  installedAt: string;
  lastRunAt: string | null;
  manifest: Manifest | null;
  inspection: Inspection;
  kind: AppKind;
}

/** A catalog order (apps.list). */
export type SortOrder = (typeof SORT_ORDERS)[number];

/** A row of the catalog. */
export interface AppSummary {
  id: string;
  name: string;
  version: string | null;
  description: string | null;
  size: number;
  installedAt: string;
  lastRunAt: string | null;
  grantCount: number;
}

/** How a folder is granted: read-only, or read and write. */
export type GrantAccess = (typeof GRANT_ACCESS)[number];

/** A limit a grant can set. */
export type LimitName = (typeof LIMIT_NAMES)[number];

/** What happens to an access outside an app's grants: ask the person, or deny without asking. */
export type UnknownAccess = (typeof UNKNOWN_ACCESS)[number];

/** The person's decision about one thing an app may use (as a request carries it, checked). */
export type GrantInput = v.InferOutput<ReturnType<typeof grantInput>>;

/** What a folder grant granted: the folder's resolved path and identity (decimal strings). */
export interface FolderIdentity {
  resolved: string;
  dev: string;
  ino: string;
  /** Birth time (ns) where the filesystem records one: inode numbers are reused. */
  born?: string | null;
}

/** A read-write folder grant's overlap with a read-only one; `note` says it in words. */
export interface GrantOverlap {
  kind: 'inside-read-only' | 'contains-read-only';
  /** The read-only granted folder. */
  folder: string;
  note: string;
}

/** A stored grant. */
export type GrantRecord = GrantInput & {
  id: number;
  createdAt: string;
  lastUsedAt: string | null;
  /** Folder grants: what was granted (null for a grant made before identities were recorded). */
  pin?: FolderIdentity | null;
  /** Folder grants: why the folder is no longer the one granted (the run leaves it out). */
  stale?: string;
  /**
   * Folder grants: how a read-write grant overlaps a read-only one (read-only wins): inside it
   * (the whole grant is read-only for runs), or around it (that folder stays read-only).
   */
  overlap?: GrantOverlap;
};

/** One run of an app. */
export interface RunRecord {
  id: number;
  args: string[];
  startedAt: string;
  endedAt: string | null;
  /** exit, trap, timeout, cancelled, crash, load-error, interrupted (the process died), running. */
  outcome: string;
  exitCode: number | null;
  bytesOut: number;
}

/** A catalog row with what only a running Terrarium knows. */
export interface CatalogEntry extends AppSummary {
  running: number;
}

/** What was decided about an access, as the activity log records it. */
export type Decision = (typeof DECISIONS)[number];

/** One decision about an access outside an app's grants. */
export interface AuditEntry {
  id: number;
  runId: number | null;
  /** The operation; `*` on a summary entry. */
  operation: string;
  /** The host path; null on a summary entry. */
  path: string | null;
  decision: Decision;
  /** When it was last decided (the same as lastAt). */
  at: string;
  /** How many times the run made this decision (repeats are counted on one entry). */
  count: number;
  firstAt: string;
  lastAt: string;
  /** A run's "and `count` more" entry for its decisions past the per-run cap (operation `*`, no path). */
  summary: boolean;
}

/** Everything the app page shows. */
export interface AppDetails {
  app: AppRecord;
  grants: GrantRecord[];
  /** What happens outside the grants: ask the person, or deny without asking. */
  unknownAccess: UnknownAccess;
  /** Newest first. */
  audit: AuditEntry[];
  /** Paths the person said never to ask about again ("deny always"); grants.reset clears them too. */
  denials: string[];
  builds: { version: string | null; sha256: string; size: number; installedAt: string }[];
  history: RunRecord[];
  running: number;
}

/** Where to install from; `bytes` is a file the person dropped (web mode has no path for it). */
export type InstallSource = v.InferOutput<ReturnType<typeof installSource>>;

/** An inspected module waiting for the person's review before it is added. */
export interface InstallPreview {
  previewId: string;
  name: string;
  source: string;
  inspection: Inspection;
  manifest: Manifest | null;
  /** The app a confirm would update (same name and source), or null for a new app. */
  updates: { id: string; name: string } | null;
  /** Another installed app with this very module (same SHA-256), or null. */
  duplicateOf: { id: string; name: string } | null;
}

/** What an install confirm did. */
export interface InstallDone {
  action: 'installed' | 'updated' | 'unchanged';
  app: AppRecord;
}

/** A run the main process (the launcher) is supervising. */
export interface SessionInfo {
  runId: string;
  /** The run's number in the run history and the activity log (null for "Run once"). */
  runNumber: number | null;
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

/** Where this Terrarium runs. */
export interface SystemInfo {
  transport: 'electron' | 'web' | 'cli';
  platform: string;
  home: string;
}
