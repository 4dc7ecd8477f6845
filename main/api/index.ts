/**
 * The core of the desktop and web app: implements every request of the contract on top of the
 * library, the launcher and the runtime, whatever the transport. Arguments are validated first;
 * results and errors go back as data (STYLE 2).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CheckedArgs, EventSink, IntegrationState, RequestName, RequestResult, Result, ShellCommand } from '../../preload/api.ts';
import type { Integration } from '../integration/service.ts';
import { grantStatus } from '../launcher/grant-status.ts';
import { Sessions } from '../launcher/sessions.ts';
import { Library, type PreparedInstall } from '../library/library.ts';
import { CodedError, isCoded } from '../shared/coded-error.ts';
import { type ErrorLog, windowError } from './errors.ts';
import { checkArgs, isRequest } from './validate.ts';

/** Native dialogs, supplied by the Electron shell; the web transport has none. */
/**
 * A transport that keeps a run's output past the `run.output` event (a send that may queue) holds
 * it until done: the bytes are in a buffer the run reuses (main/runtime/output-pool.ts).
 */
export { holdOutput } from '../runtime/output-pool.ts';

export interface Dialogs {
  chooseFolder(): Promise<string | null>;
  chooseFile(opts: { wasm?: boolean }): Promise<string | null>;
}

/** How the core is set up. */
export interface ApiOptions {
  transport: 'electron' | 'web' | 'cli';
  /** The data folder (default: the platform's, or TERRARIUM_HOME). */
  home?: string;
  dialogs?: Dialogs;
  /** How long a permission prompt waits for the person before denying (default 60 s). */
  promptTimeoutMs?: number;
  /** Desktop shortcuts and shell commands, supplied by the Electron shell; web mode has none. */
  integration?: Integration;
  /** Why there are no shortcuts and commands here, when the shell has none to offer (a development build). */
  integrationUnavailable?: string;
  /** Where an unexpected error's stack goes (default: stderr). */
  log?: ErrorLog;
}

/** The core, as transports see it. */
export interface Api {
  /** Runs request `name` with untrusted `args`. Never throws. */
  handle(name: string, args: unknown): Promise<Result<unknown>>;
  /**
   * Subscribes to events; returns the unsubscribe function. `run.output`'s `data` is lent for the
   * call: a listener that keeps it copies it or holds it (`holdOutput`).
   */
  onEvent(listener: EventSink): () => void;
  /** The transport's backpressure for run output (see RunSpec.backpressure). */
  setOutputGate(gate: () => Promise<void> | undefined): void;
  /** Hands a launch (double-clicked file, --run, second instance) to the window. */
  shellCommand(command: ShellCommand): void;
  /** Stops every run (recording how it ended), then closes the library. */
  close(): Promise<void>;
}

const PREVIEW_TTL_MS = 10 * 60 * 1000;
/** Audit entries on the app page before "Load older" (apps.audit). */
const AUDIT_FIRST_PAGE = 200;
type Handlers = { [K in RequestName]: (args: CheckedArgs<K>) => Promise<RequestResult<K>> | RequestResult<K> };

/** Creates the core over the library in `opts.home`. */
export function createApi(opts: ApiOptions): Api {
  const lib = Library.open(opts.home);
  const listeners = new Set<EventSink>();
  const emit: EventSink = (name, payload) => {
    for (const l of listeners) l(name, payload);
  };
  let gate: () => Promise<void> | undefined = () => undefined;
  const sessions = new Sessions(lib, emit, () => gate(), opts.promptTimeoutMs);
  const previews = new Map<string, { prepared: PreparedInstall; at: number }>();
  const changed = (appId: string | null): void => emit('apps.changed', { appId });
  // Installs, uninstalls and grants made by the CLI or another window: every view refreshes
  // (one event for a burst of signals, as a commit may be heard twice: here and by the watch).
  let refreshing: NodeJS.Timeout | undefined;
  lib.onChange(() => {
    refreshing ??= setTimeout(() => {
      refreshing = undefined;
      changed(null);
    }, 30).unref();
  });
  const needIntegration = (): Integration => {
    if (!opts.integration) throw new CodedError('unsupported', opts.integrationUnavailable ?? 'shortcuts and commands are made by the desktop app');
    return opts.integration;
  };
  const integrationState = async (appId: string): Promise<IntegrationState> =>
    opts.integration
      ? { available: true, items: await opts.integration.list(appId) }
      : { available: false, items: [], ...(opts.integrationUnavailable ? { reason: opts.integrationUnavailable } : {}) };

  const handlers: Handlers = {
    'system.info': () => ({ transport: opts.transport, platform: process.platform, home: os.homedir() }),
    'apps.list': (a) => lib.list(a).map((s) => ({ ...s, running: sessions.running(s.id) })),
    'apps.audit': ({ ref, before, limit, decision }) => lib.audit(ref, { before, limit: limit ?? AUDIT_FIRST_PAGE, decision }),
    'apps.history': ({ ref, limit }) => lib.history(ref, limit),
    'apps.get': ({ ref }) => {
      const app = lib.app(ref);
      return {
        app, grants: grantStatus(lib, app.id), builds: lib.builds(app.id), history: lib.history(app.id, 50),
        running: sessions.running(app.id), unknownAccess: lib.unknownAccess(app.id), audit: lib.audit(app.id, { limit: AUDIT_FIRST_PAGE }),
        denials: lib.denials(app.id),
      };
    },
    'apps.uninstall': async ({ ref }) => {
      const app = lib.app(ref);
      if (sessions.running(app.id) > 0) throw new CodedError('running', `${app.name} is running; stop it first`);
      await opts.integration?.removeAll(app.id);
      lib.uninstall(app.id);
      changed(app.id);
      return null;
    },
    'install.preview': async ({ source, sha256, progressId }) => {
      const prepared = await lib.prepareInstall(source, {
        sha256,
        onProgress: progressId === undefined ? undefined : (received, total, stage) => emit('install.progress', { progressId, received, total, stage }),
      });
      const now = Date.now();
      for (const [id, p] of previews) if (now - p.at > PREVIEW_TTL_MS) previews.delete(id);
      const previewId = crypto.randomUUID();
      previews.set(previewId, { prepared, at: now });
      const w = prepared.write;
      // The same module already installed under another name or source: the window offers it instead.
      const duplicateOf = lib.appsWithModule(w.inspection.sha256).find((a) => a.id !== prepared.updates?.id) ?? null;
      return { previewId, name: w.name, source: w.source, inspection: w.inspection, manifest: w.manifest, updates: prepared.updates, duplicateOf };
    },
    'install.confirm': ({ previewId, name }) => {
      const p = previews.get(previewId);
      if (!p) throw new CodedError('no-preview', 'this install was cancelled or has expired; start it again');
      let result;
      try {
        result = lib.commitInstall(p.prepared, name);
      } catch (err) {
        // The library's message speaks to the command line (--name); the window has a name field.
        if (isCoded(err, 'duplicate-name')) {
          throw new CodedError('duplicate-name', `another app is already called "${name ?? p.prepared.write.name}"; choose another name`);
        }
        throw err;
      }
      previews.delete(previewId);
      changed(result.app.id);
      return { action: result.action, app: result.app };
    },
    'install.runOnce': ({ previewId, cols, rows }) => {
      const p = previews.get(previewId);
      if (!p) throw new CodedError('no-preview', 'this review was cancelled or has expired; open the file again');
      previews.delete(previewId);
      return sessions.startOnce(p.prepared, cols, rows);
    },
    'install.cancel': ({ previewId }) => {
      previews.delete(previewId);
      return null;
    },
    'grants.add': ({ ref, grants }) => {
      for (const g of grants) {
        if (g.kind === 'folder' && !(path.isAbsolute(g.host) && fs.existsSync(g.host) && fs.statSync(g.host).isDirectory())) {
          throw new CodedError('bad-folder', `${g.host} is not a folder`);
        }
      }
      lib.grant(ref, grants);
      changed(lib.app(ref).id);
      return grantStatus(lib, ref);
    },
    'grants.revoke': ({ ref, ids }) => {
      const mine = new Set(lib.grants(ref).map((g) => g.id));
      lib.revoke(ref, ids.map((id) => ({ id })));
      sessions.revoked(ids.filter((id) => mine.has(id)));
      changed(lib.app(ref).id);
      return grantStatus(lib, ref);
    },
    'grants.reset': ({ ref }) => {
      const all = lib.grants(ref).map((g) => g.id);
      lib.reset(ref);
      sessions.revoked(all);
      changed(lib.app(ref).id);
      return lib.grants(ref);
    },
    'runs.start': ({ ref, args, cols, rows, files, folders }) => sessions.start(ref, args ?? [], cols, rows, { files, folders }),
    'runs.input': ({ runId, data }) => {
      sessions.input(runId, data);
      return null;
    },
    'runs.resize': ({ runId, cols, rows }) => {
      sessions.resize(runId, cols, rows);
      return null;
    },
    'runs.stop': ({ runId }) => {
      sessions.stop(runId);
      return null;
    },
    'runs.list': () => sessions.list(),
    'runs.warm': ({ ref }) => {
      sessions.warm(ref);
      return null;
    },
    'runs.recent': () => sessions.scrollback.recent(),
    'runs.forget': ({ runId }) => {
      sessions.scrollback.forget(runId);
      return null;
    },
    'prompt.answer': ({ promptId, answer }) => {
      if (!sessions.prompts.answer(promptId, answer)) throw new CodedError('no-prompt', 'this question was already answered or has expired');
      return null;
    },
    'prompt.pending': () => sessions.prompts.pending(),
    'integration.get': ({ ref }) => integrationState(lib.app(ref).id),
    'integration.addShortcuts': async ({ ref, menu, desktop }) => {
      const app = lib.app(ref);
      await needIntegration().addShortcuts(app, { menu, desktop });
      return integrationState(app.id);
    },
    'integration.addCommand': async ({ ref, name }) => {
      const app = lib.app(ref);
      try {
        await needIntegration().addCommand(app, name);
      } catch (err) {
        // No shortcuts here (unsupported), the name's fault (bad-command), another file's (exists), or the disk's (io).
        if (err instanceof CodedError) throw err;
        throw new CodedError('io', `could not write the command: ${(err as Error).message}`);
      }
      return integrationState(app.id);
    },
    'integration.remove': async ({ ref }) => {
      const app = lib.app(ref);
      await needIntegration().removeAll(app.id);
      return integrationState(app.id);
    },
    'denials.remove': ({ ref, path: p }) => {
      if (lib.forgetDenials(ref, p) === 0) throw new CodedError('not-found', `${p} was not denied`);
      changed(lib.app(ref).id);
      return lib.denials(lib.app(ref).id);
    },
    'apps.setUnknownAccess': ({ ref, mode }) => {
      lib.setUnknownAccess(ref, mode);
      changed(lib.app(ref).id);
      return null;
    },
    'fs.list': ({ path: p }) => listFolder(p ?? os.homedir()),
    'dialog.chooseFolder': () => {
      if (!opts.dialogs) throw new CodedError('unsupported', 'no native dialogs here; use the folder browser');
      return opts.dialogs.chooseFolder();
    },
    'dialog.chooseFile': (a) => {
      if (!opts.dialogs) throw new CodedError('unsupported', 'no native dialogs here; use the file browser');
      return opts.dialogs.chooseFile(a);
    },
  };

  return {
    async handle(name, rawArgs) {
      if (!isRequest(name)) return { ok: false, code: 'unknown-request', message: `unknown request ${String(name).slice(0, 64)}` };
      try {
        const args = checkArgs(name, rawArgs);
        const value = await (handlers[name] as (a: unknown) => unknown)(args);
        return { ok: true, value };
      } catch (err) {
        return windowError(err, name, opts.log);
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setOutputGate(g) {
      gate = g;
    },
    shellCommand(command) {
      emit('shell.command', command);
    },
    async close() {
      await sessions.stopAll();
      clearTimeout(refreshing);
      lib.close();
    },
  };
}

/**
 * One folder for the in-app browser: sub-folders first, then files, both by name.
 *
 * Ambient Authority: lists any host folder the person browses to (web mode's file dialog).
 */
function listFolder(p: string): { path: string; parent: string | null; entries: { name: string; kind: 'dir' | 'file' }[] } {
  if (!path.isAbsolute(p)) throw new CodedError('bad-path', 'the path must be absolute');
  const abs = path.resolve(p);
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    throw new CodedError('unreadable', `cannot list ${abs}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const entries = dirents
    .map((d) => {
      let dir = d.isDirectory();
      if (d.isSymbolicLink()) {
        try {
          dir = fs.statSync(path.join(abs, d.name)).isDirectory();
        } catch {
          dir = false;
        }
      }
      return { name: d.name, kind: dir ? ('dir' as const) : ('file' as const) };
    })
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
  const parent = path.dirname(abs);
  return { path: abs, parent: parent === abs ? null : parent, entries };
}
