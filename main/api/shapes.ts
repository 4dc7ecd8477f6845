/**
 * The library's records and the launcher's events, mapped to the contract's own shapes
 * (preload/shapes.ts, preload/events.ts). Top-level records are copied field by field, so a column
 * added to a table reaches the window only when it is added here; nested values the library keeps
 * as the contract shows them (a module's inspection, its manifest, a grant) pass through under the
 * compiler's check that they still fit.
 */
import type {
  AppRecord, AuditEntry, CatalogEntry, EventName, Events, GrantRecord, Inspection, Manifest, RunRecord,
} from '../../preload/api.ts';
import type { LauncherEvents } from '../launcher/events.ts';
import type { AuditRecord } from '../library/audit.ts';
import type * as lib from '../library/types.ts';

/** An installed app, as the window sees it. */
export function appRecord(a: lib.AppRecord): AppRecord {
  return {
    id: a.id, name: a.name, version: a.version, description: a.description, source: { kind: a.source.kind, location: a.source.location },
    sha256: a.sha256, size: a.size, installedAt: a.installedAt, lastRunAt: a.lastRunAt, manifest: manifest(a.manifest), inspection: inspection(a.inspection), kind: a.kind,
  };
}

/** A catalog row, with how many runs of the app are live. */
export function catalogEntry(s: lib.AppSummary, running: number): CatalogEntry {
  return {
    id: s.id, name: s.name, version: s.version, description: s.description, size: s.size, installedAt: s.installedAt,
    lastRunAt: s.lastRunAt, grantCount: s.grantCount, running,
  };
}

/** One run of an app. */
export function runRecord(r: lib.RunRecord): RunRecord {
  return { id: r.id, args: r.args, startedAt: r.startedAt, endedAt: r.endedAt, outcome: r.outcome, exitCode: r.exitCode, bytesOut: r.bytesOut };
}

/** One audit entry. */
export function auditEntry(e: AuditRecord): AuditEntry {
  return {
    id: e.id, runId: e.runId, operation: e.operation, path: e.path, decision: e.decision, at: e.at, count: e.count,
    firstAt: e.firstAt, lastAt: e.lastAt, summary: e.summary,
  };
}

/** A stored grant with its status (checked to fit the contract's shape). */
export function grantRecords(gs: lib.GrantRecord[]): GrantRecord[] {
  return gs;
}

/** A module's inspection (checked to fit). */
export function inspection(i: lib.Inspection): Inspection {
  return i;
}

/** An app's manifest (checked to fit). */
export function manifest(m: lib.Manifest | null): Manifest | null {
  return m;
}

/** Each launcher event → the contract's event of the same name (each checked to fit). */
const EVENT_MAP: { [K in keyof LauncherEvents]: (payload: LauncherEvents[K]) => Events[K] } = {
  'run.output': (p) => p,
  'run.exit': (p) => p,
  'apps.changed': (p) => p,
  'prompt.request': (p) => p,
  'prompt.closed': (p) => p,
};

/** The contract's payload for launcher event `name`. */
export function toContractEvent<K extends keyof LauncherEvents & EventName>(name: K, payload: LauncherEvents[K]): Events[K] {
  return (EVENT_MAP[name] as (p: LauncherEvents[K]) => Events[K])(payload);
}
