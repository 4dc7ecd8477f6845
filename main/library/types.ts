/** The library's records, as the API, the CLI's `--json` output and the UI see them (pure types). */

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
  /** A WASI preview1 core module or a WASI 0.2 component (migration 0008). */
  kind: AppKind;
}

/** What kind of program an app is. */
export type AppKind = 'preview1' | 'component';

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

/** The person's decision about one thing an app may use. */
export type GrantInput =
  | { kind: 'folder'; host: string; guest: string; access: 'read' | 'read-write' }
  | { kind: 'env'; name: string; value: string }
  | { kind: 'env'; name: string; forward: true }
  | { kind: 'args'; args: string[] }
  | { kind: 'limit'; name: 'memory-max-mib' | 'timeout-seconds'; value: number };

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

/** The result of inspecting a module; stored with the app as JSON. */
export interface Inspection {
  sha256: string;
  size: number;
  kind: 'command';
  wasi: 'preview1' | '0.2';
  /** Components only. */
  component?: ComponentInspection;
  exports: { name: string; kind: string }[];
  wasiFunctions: string[];
  capabilities: Partial<Record<Capability, string[]>>;
  producers: Record<string, { name: string; version: string }[]>;
  moduleName: string | null;
  /** Initial and maximum memory in 64 KiB pages. */
  memory: { min: number; max: number | null; shared: boolean } | null;
}

