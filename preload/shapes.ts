/**
 * The shapes the contract's results carry, owned by the contract (pure types): the library keeps
 * its own records, and main/api maps them to these (main/api/shapes.ts), so a change to a table
 * reaches the window only when the mapping says so.
 */
import type * as v from 'valibot';
import type { EVENTS } from './events.ts';
import type { grantInput } from './schema-parts.ts';

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

/** The result of inspecting a module. */
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
  /** How it runs: its preview1 core module on the preview1 runtime, or Terrarium's WASI 0.2 host. */
  path: 'preview1-core' | 'wasi-0.2-host';
  /** `wasi-0.2-host`: what install-time transpilation stored. */
  transpiled?: { transpiler: string; sha256: string; size: number; ms: number };
}

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
  /** A WASI preview1 core module or a WASI 0.2 component. */
  kind: 'preview1' | 'component';
}

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

/** The person's decision about one thing an app may use (as a request carries it, checked). */
export type GrantInput = v.InferOutput<ReturnType<typeof grantInput>>;

/** A stored grant. */
export type GrantRecord = GrantInput & {
  id: number;
  createdAt: string;
  lastUsedAt: string | null;
  /** Folder grants: what was granted (null for a grant made before identities were recorded). */
  pin?: { resolved: string; dev: string; ino: string; born?: string | null } | null;
  /** Folder grants: why the folder is no longer the one granted (the run leaves it out). */
  stale?: string;
  /**
   * Folder grants: how a read-write grant overlaps a read-only one (read-only wins): inside it
   * (the whole grant is read-only for runs), or around it (that folder stays read-only).
   */
  overlap?: { kind: 'inside-read-only' | 'contains-read-only'; folder: string; note: string };
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
  /** Another installed app with this very module (same SHA-256), or null. */
  duplicateOf: { id: string; name: string } | null;
}

/** What an install confirm did. */
export interface InstallDone {
  action: 'installed' | 'updated' | 'unchanged';
  app: AppRecord;
}

/** A run the main process is supervising. */
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
  exit: v.InferOutput<(typeof EVENTS)['run.exit']> | null;
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
