/**
 * Every request of the contract (DESIGN §2), defined once: the schema its arguments must pass
 * (main/api checks every request with it before a handler sees it) and the type of its result.
 * The TypeScript types in api.ts are derived from this map, and so are the names routers accept.
 *
 * Adding a request touches two files: an entry here, and its handler in main/api/index.ts (which
 * does not compile until the handler exists). See docs/design/contract.md.
 */
import * as v from 'valibot';
import {
  AUDIT_PAGE_MAX, DECISIONS, GRANTS_MAX, PROMPT_ANSWERS, SORT_ORDERS, UNKNOWN_ACCESS, bool, gesture, grantInput, id, installSource, int, list,
  none, oneOf, record, ref, returns, strings, terminalSize, text,
} from './schema-parts.ts';
import type {
  AppDetails, AuditEntry, CatalogEntry, FolderListing, GrantRecord, InstallDone, InstallPreview, IntegrationState, RecentRun, RunRecord, SessionInfo,
  SystemInfo,
} from './shapes.ts';
import type { PromptRequest } from './events.ts';

const byRef = () => record({ ref: ref() });
const positiveId = () => int(1, Number.MAX_SAFE_INTEGER);

/** Requests: name → the schema of its arguments and (as a type) its result. */
export const REQUESTS = {
  'system.info': { args: none(), result: returns<SystemInfo>() },
  'apps.list': { args: v.nullish(record({ search: v.optional(text(200)), sort: v.optional(oneOf(SORT_ORDERS)) }), {}), result: returns<CatalogEntry[]>() },
  'apps.get': { args: byRef(), result: returns<AppDetails>() },
  /** A page of the audit log, newest first: entries with an id below `before` (the last one shown), of one `decision` if given. */
  'apps.audit': {
    args: record({ ref: ref(), before: v.optional(positiveId()), limit: v.optional(int(1, AUDIT_PAGE_MAX)), decision: v.optional(oneOf(DECISIONS)) }),
    result: returns<AuditEntry[]>(),
  },
  /** An app's runs, newest first (all of them, or the last `limit`). */
  'apps.history': { args: record({ ref: ref(), limit: v.optional(positiveId()) }), result: returns<RunRecord[]>() },
  'apps.uninstall': { args: byRef(), result: returns<null>() },
  'apps.setUnknownAccess': { args: record({ ref: ref(), mode: oneOf(UNKNOWN_ACCESS) }), result: returns<null>() },
  'install.preview': { args: record({ source: installSource(), sha256: v.optional(id()), progressId: v.optional(id()) }), result: returns<InstallPreview>() },
  'install.confirm': { args: record({ previewId: id(), name: v.optional(text(100)) }), result: returns<InstallDone>() },
  'install.cancel': { args: record({ previewId: id() }), result: returns<null>() },
  /** Runs a reviewed module without installing it: no grants, every access asked, nothing kept but a log entry. */
  'install.runOnce': { args: record({ previewId: id(), cols: terminalSize(), rows: terminalSize() }), result: returns<SessionInfo>() },
  'grants.add': { args: record({ ref: ref(), grants: list(grantInput(), GRANTS_MAX, 1) }), result: returns<GrantRecord[]>() },
  'grants.revoke': { args: record({ ref: ref(), ids: v.array(positiveId(), 'must be a list') }), result: returns<GrantRecord[]>() },
  'grants.reset': { args: byRef(), result: returns<GrantRecord[]>() },
  'denials.remove': { args: record({ ref: ref(), path: text() }), result: returns<string[]>() },
  /** Starts a run; `files` and `folders` are grants by gesture (see schema-parts.ts gesture). */
  'runs.start': { args: record({ ref: ref(), args: v.optional(strings()), cols: terminalSize(), rows: terminalSize(), ...gesture() }), result: returns<SessionInfo>() },
  'runs.input': { args: record({ runId: id(), data: text(65536) }), result: returns<null>() },
  'runs.resize': { args: record({ runId: id(), cols: terminalSize(), rows: terminalSize() }), result: returns<null>() },
  'runs.stop': { args: record({ runId: id() }), result: returns<null>() },
  'runs.list': { args: none(), result: returns<SessionInfo[]>() },
  /**
   * The person is about to run app `ref` (the pointer is on a Run button of it, or one has focus):
   * main reads and compiles its module now, so the Run that follows finds it compiled. Nothing is
   * started, recorded or granted; a component is left alone (its run may need the transpiler).
   */
  'runs.warm': { args: byRef(), result: returns<null>() },
  /** Live runs and the last finished ones, with their kept output (a reloaded window's tabs). */
  'runs.recent': { args: none(), result: returns<RecentRun[]>() },
  /** A window closed a finished run's tab: main lets its output go. */
  'runs.forget': { args: record({ runId: id() }), result: returns<null>() },
  'prompt.answer': { args: record({ promptId: id(), answer: oneOf(PROMPT_ANSWERS) }), result: returns<null>() },
  'prompt.pending': { args: none(), result: returns<PromptRequest[]>() },
  'integration.get': { args: byRef(), result: returns<IntegrationState>() },
  'integration.addShortcuts': { args: record({ ref: ref(), menu: bool(), desktop: bool() }), result: returns<IntegrationState>() },
  'integration.addCommand': { args: record({ ref: ref(), name: text(64) }), result: returns<IntegrationState>() },
  'integration.remove': { args: byRef(), result: returns<IntegrationState>() },
  'fs.list': { args: v.nullish(record({ path: v.optional(text()) }), {}), result: returns<FolderListing>() },
  'dialog.chooseFolder': { args: none(), result: returns<string | null>() },
  'dialog.chooseFile': { args: v.nullish(record({ wasm: v.optional(bool()) }), {}), result: returns<string | null>() },
} satisfies Record<string, { args: v.GenericSchema; result: unknown }>;
