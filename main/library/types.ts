/** The library's records, as the API, the CLI's `--json` output and the UI see them. */
import type { Inspection } from './inspect.ts';

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

/** A stored grant. */
export type GrantRecord = GrantInput & { id: number; createdAt: string; lastUsedAt: string | null };

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
