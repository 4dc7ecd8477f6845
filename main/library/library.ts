/**
 * The app library (DESIGN §4): one SQLite database and a module store in the data folder. Every
 * change is one transaction; bad input leaves the library exactly as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { type AppSort, type AppWrite, deleteApp, findApp, findAppByName, insertApp, appsWithModule, listApps, listBuilds, setTranspiled, updateApp, usedHashes } from './apps.ts';
import { CodedError } from '../shared/coded-error.ts';
import { releaseBytes } from '../shared/release-bytes.ts';
import { randomHex } from './hash.ts';
import { type Connect, RUN_WAL_PAGES, betterSqlite, openDatabase, openWalKeeper } from './db.ts';
import { nodeSqlite, openNodeSqlite } from './db-node-sqlite.ts';
import type { Progress } from './download.ts';
import { appNameFrom, checkAppName } from './app-name.ts';
import { AUDIT_ROWS_PER_RUN, type AuditRecord, type Decision, addAudit, addDenial, listAudit, listDenials, removeDenials, setUnknownAccess, unknownAccess } from './audit.ts';
import { RUN_WATCH_AFTER_MS, appRevision, bumpRevision, signalChange, watchChanges, watchChangesLater } from './changes.ts';
import { addGrant, listGrants, narrows, type RevokeMatch, pinGrant, resetGrants, revokeGrants, touchGrants, writableFolders } from './grants.ts';
import { type FolderPin, pinFolder, plantedLink } from '../shared/folder-pin.ts';
import { defaultLibraryHome } from './home.ts';
import { endRunRow, listRuns, startRunRow } from './runs.ts';
import { ModuleStore } from './store.ts';
import { dropUnusedSignatures, moduleSignature, recordSignature } from './signatures.ts';
import type { AppRecord, AppSummary, GrantInput, GrantRecord, InstallDone, InstallSource, Manifest, RunRecord, UnknownAccess } from './types.ts';
import { type TranspiledRecord, packForStore, readTranspiled, sweepTranspiled, writeTranspiled } from './transpiled-store.ts';
import type { TranspiledFiles } from '../wasm/transpile.ts';
import { isoTime } from '../shared/iso-time.ts';


/** Largest module accepted by default (256 MiB). */
export const DEFAULT_MAX_MODULE_BYTES = 256 * 1024 * 1024;

export type { InstallSource } from './types.ts';

/** A module read and inspected, not yet added. */
export interface PreparedInstall {
  bytes: Uint8Array;
  write: AppWrite;
  /** The app a commit would update (same name and source), or null. */
  updates: { id: string; name: string } | null;
  /** A component for the WASI 0.2 host: its transpiled output, packed for the store (issue 15). */
  transpiled?: Uint8Array;
}

/** Options of an install. */
export interface InstallOptions {
  name?: string;
  sha256?: string;
  onProgress?: Progress;
  maxBytes?: number;
}

/** What an install did (the contract's InstallDone). */
export type InstallResult = InstallDone;

/** `FILE|URL|FOLDER` as typed on a command line. */
export function sourceFrom(arg: string): InstallSource {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) return { kind: 'url', url: arg };
  const abs = path.resolve(arg);
  let isDir = false;
  try {
    isDir = fs.statSync(abs).isDirectory();
  } catch {
    // Reported when the file is read.
  }
  return isDir ? { kind: 'package', dir: abs } : { kind: 'file', path: abs };
}

/**
 * Whether `write` comes from where `app` was installed from: the same URL, package folder or
 * absolute file path. An app installed from dropped bytes (recorded as a bare file name) has no
 * source, so nothing is ever the same as it (secreview2 hole 3).
 */
function sameSource(app: AppRecord, write: AppWrite): boolean {
  if (app.source.kind !== write.sourceKind || app.source.location !== write.source) return false;
  return app.source.kind !== 'file' || path.isAbsolute(app.source.location);
}

/** Why app `app`'s stored module cannot run (missing or changed): `module-changed`. */
function moduleChanged(app: AppRecord, err: unknown): CodedError {
  return new CodedError('module-changed', `cannot run ${app.name}: ${(err as Error).message}`);
}

/** The library in one data folder. */
export class Library {
  readonly home: string;
  readonly db: Database.Database;
  readonly store: ModuleStore;
  private readonly changeListeners = new Set<() => void>();
  private stopWatching: (() => void) | undefined;
  /** openForRun's: changes are watched for only after this long (changes.ts `watchChangesLater`). */
  private watchAfterMs: number | undefined;
  /** openForRun's read-only connection, closed after `db` (db.ts `openWalKeeper`). */
  private walKeeper: Database.Database | undefined;
  /** openForRun's `untilExit`: `close` leaves the connection for the process's exit to drop. */
  private leftToExit = false;

  private constructor(home: string, db: Database.Database, store: ModuleStore) {
    this.home = home;
    this.db = db;
    this.store = store;
  }

  /** Opens the library in `home` (default: the data folder), creating it if needed, and sweeps. */
  static open(home = defaultLibraryHome()): Library {
    fs.mkdirSync(home, { recursive: true });
    const db = openDatabase(path.join(home, 'library.db'));
    const lib = new Library(home, db, new ModuleStore(path.join(home, 'store')));
    lib.sweep();
    return lib;
  }

  /**
   * Opens the library in `home` for one terminal run (`terrarium run APP`, issue 14.2): through
   * node:sqlite where the command may use it (db-node-sqlite.ts: no native module to load), and it
   * neither sweeps (every other open does; a run adds nothing to sweep) nor, when it closes,
   * checkpoints the WAL, so recording the run costs no fsync (db.ts `openWalKeeper`); its commits
   * checkpoint once the WAL holds RUN_WAL_PAGES, so the WAL every start reads stays short. It watches
   * for changes (`onChange`) only once a run has gone on for RUN_WATCH_AFTER_MS.
   *
   * `untilExit`: the process ends with `process.exit` once the run is over (the CLI). Then `close`
   * leaves the connection open, for the exit to drop: `process.exit` closes no SQLite connection
   * (Node runs no environment clean-up then), so nothing checkpoints, as the WAL keeper would
   * ensure, and the keeper's connection (an open, a read, two closes: ~0.4 ms of a run) is not
   * made. A process that ended otherwise would close it in its clean-up, a checkpoint: slower,
   * never wrong. docs/design/runapp.md, seventh pass.
   */
  static openForRun(home = defaultLibraryHome(), options: { untilExit?: boolean } = {}): Library {
    fs.mkdirSync(home, { recursive: true });
    const file = path.join(home, 'library.db');
    const engine = nodeSqlite();
    const connect: Connect = engine ? (f, readonly) => openNodeSqlite(engine, f, readonly) : betterSqlite;
    const db = openDatabase(file, undefined, connect, { walPages: RUN_WAL_PAGES });
    const lib = new Library(home, db, new ModuleStore(path.join(home, 'store')));
    lib.watchAfterMs = RUN_WATCH_AFTER_MS;
    if (options.untilExit === true) {
      lib.leftToExit = true;
      return lib;
    }
    try {
      lib.walKeeper = openWalKeeper(file, connect);
    } catch {
      // Without it the run is recorded all the same, and the close checkpoints as usual.
    }
    return lib;
  }

  /** Stops watching for changes and closes the library (one opened `untilExit` stays open for the exit to drop). */
  close(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
    this.changeListeners.clear();
    if (this.leftToExit) return;
    this.db.close();
    this.walKeeper?.close();
  }

  /**
   * Calls `listener` after any process (this one included) commits a change to the catalog or to
   * an app's permissions; read `revision` to see which apps lost access (library/changes.ts).
   * Returns the unsubscribe.
   */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    this.stopWatching ??= this.watchAfterMs === undefined
      ? watchChanges(this.home, this.db, () => this.changed())
      : watchChangesLater(this.home, this.db, () => this.changed(), this.watchAfterMs);
    return () => {
      this.changeListeners.delete(listener);
    };
  }

  /** Rises with every change that takes access away from app `appId` (revoke, reset, deny always). */
  revision(appId: string): number {
    return appRevision(this.db, appId);
  }

  private changed(): void {
    for (const l of [...this.changeListeners]) l();
  }

  /**
   * Tells every process (windows included) that the catalog or some grants changed, when nothing
   * was taken away: no revision rises, so runs lose nothing (library/changes.ts).
   */
  private announce(): void {
    signalChange(this.home);
    this.changed();
  }

  /** Runs `change` in one transaction with a rise of the app's revision, then tells every process. */
  private takeAway<T>(appId: string, change: () => T): T {
    const result = this.db.transaction(() => {
      bumpRevision(this.db, appId);
      return change();
    }).immediate();
    signalChange(this.home);
    this.changed();
    return result;
  }

  /** Removes store files nothing refers to (crashed installs, uninstalled apps). */
  sweep(): string[] {
    return this.db.transaction(() => {
      const used = usedHashes(this.db);
      dropUnusedSignatures(this.db);
      return [...this.store.sweep(used), ...sweepTranspiled(this.store, used)];
    }).immediate();
  }

  /** The app named or numbered `ref`; `not-found` otherwise. */
  app(ref: string): AppRecord {
    const a = findApp(this.db, ref);
    if (!a) throw new CodedError('not-found', `no installed app is called "${ref}"`);
    return a;
  }

  list(opts?: { search?: string; sort?: AppSort }): AppSummary[] {
    return listApps(this.db, opts);
  }

  /** The installed apps whose module is `sha256` (one query, no records loaded). */
  appsWithModule(sha256: string): { id: string; name: string }[] {
    return appsWithModule(this.db, sha256);
  }

  builds(ref: string): ReturnType<typeof listBuilds> {
    return listBuilds(this.db, this.app(ref).id);
  }

  /**
   * Installs a module from a file, URL or package folder. Reinstalling from the same source
   * records a new build and keeps grants and history; a name taken by an app from elsewhere is
   * refused.
   */
  async install(src: InstallSource, opts: InstallOptions = {}): Promise<InstallResult> {
    return this.commitInstall(await this.prepareInstall(src, opts), opts.name);
  }

  /**
   * Reads (or downloads) and inspects a module without changing the library, so the person can
   * review what it can do before it is added (`commitInstall`).
   */
  async prepareInstall(src: InstallSource, opts: InstallOptions = {}): Promise<PreparedInstall> {
    const maxBytes = opts.maxBytes ?? DEFAULT_MAX_MODULE_BYTES;
    // Loaded here, not with the library: a run never installs (./install-path.ts). Issue 15:
    // components that need the WASI 0.2 host are transpiled at install time (transpileForInstall).
    const { checkSha256, download, inspectModule, readFileCapped, readPackage, transpileForInstall, urlFileName } = await import('./install-path.ts');
    let bytes: Uint8Array;
    let name: string;
    let manifest: Manifest | null = null;
    let location: string;
    let kind: 'file' | 'url' | 'package' = src.kind === 'bytes' ? 'file' : src.kind;
    if (src.kind === 'url') {
      bytes = await download(src.url, maxBytes, opts.onProgress);
      location = src.url;
      name = urlFileName(src.url).replace(/\.wasm$/i, '');
    } else if (src.kind === 'package') {
      const pkg = await readPackage(src.dir);
      bytes = readFileCapped(pkg.modulePath, maxBytes);
      manifest = pkg.manifest;
      location = src.dir;
      name = pkg.name;
    } else if (src.kind === 'bytes') {
      if (src.bytes.length > maxBytes) throw new CodedError('too-large', `${src.fileName} is ${src.bytes.length} bytes, over the limit of ${maxBytes}`);
      bytes = src.bytes;
      location = path.basename(src.fileName);
      name = location.replace(/\.wasm$/i, '');
      kind = 'file';
    } else {
      location = path.resolve(src.path);
      bytes = readFileCapped(location, maxBytes);
      name = path.basename(location).replace(/\.wasm$/i, '');
    }
    if (opts.sha256 !== undefined) checkSha256(bytes, opts.sha256);
    const inspection = await inspectModule(bytes);
    const transpiled = await transpileForInstall(bytes, inspection, opts.onProgress);
    const write: AppWrite = {
      name: opts.name === undefined ? appNameFrom(name) : checkAppName(opts.name),
      version: manifest?.package?.version ?? null,
      description: manifest?.package?.description ?? null,
      sourceKind: kind,
      source: location,
      sha256: inspection.sha256,
      size: inspection.size,
      manifest,
      inspection,
    };
    // Dropped bytes have no source (their file name is no place): they never update an app
    // (secreview2 hole 3), and a taken name is refused at commit.
    const existing = src.kind === 'bytes' ? undefined : findAppByName(this.db, write.name);
    const updates = existing && sameSource(existing, write) ? { id: existing.id, name: existing.name } : null;
    return { bytes, write, updates, transpiled };
  }

  /** Adds a prepared module to the library (optionally under another name), in one transaction. */
  commitInstall(prepared: PreparedInstall, rename?: string): InstallResult {
    const { bytes } = prepared;
    const write = rename === undefined ? prepared.write : { ...prepared.write, name: checkAppName(rename) };
    const tmp = this.store.has(write.sha256) ? null : this.store.writeTemp(bytes);
    let replaced: string | null = null;
    let result: InstallResult;
    // Under the write lock: another process may have swept the stored copy since `has()` above.
    const ensureStored = (): void => {
      if (tmp) this.store.commit(tmp, write.sha256);
      else if (!this.store.has(write.sha256)) this.store.commit(this.store.writeTemp(bytes), write.sha256);
      const record = write.inspection.component?.transpiled;
      if (prepared.transpiled && record) this.keepTranspiled(write.sha256, prepared.transpiled, record);
    };
    try {
      result = this.db.transaction((): InstallResult => {
        const now = Date.now();
        const existing = findAppByName(this.db, write.name);
        if (existing) {
          // Only the update the review showed (`prepared.updates`), and only while the source is
          // still the same: anything else under a taken name is refused, never merged into the app.
          if (prepared.updates?.id !== existing.id || !sameSource(existing, write)) {
            throw new CodedError('duplicate-name', `an app called "${existing.name}" is already installed (from ${existing.source.location}); choose another name with --name`);
          }
          // The module file goes into place first (restoring it if it had gone missing), then the row.
          ensureStored();
          if (existing.sha256 === write.sha256) return { action: 'unchanged', app: existing };
          updateApp(this.db, existing.id, write, now);
          replaced = existing.sha256;
          return { action: 'updated', app: this.app(existing.id) };
        }
        const id = randomHex(4);
        ensureStored();
        insertApp(this.db, id, write, now);
        return { action: 'installed', app: this.app(id) };
      }).immediate();
    } catch (err) {
      if (tmp) fs.rmSync(tmp, { force: true });
      throw err;
    }
    // Only after the commit: a crash before this line leaves an orphan that the next open sweeps,
    // never an app whose module is gone.
    if (replaced !== null) this.sweep();
    this.announce();
    return result;
  }

  /** Removes an app, its grants, runs and audit rows, and its module if nothing else uses it. */
  uninstall(ref: string): AppRecord {
    const app = this.app(ref);
    this.db.transaction(() => deleteApp(this.db, app.id)).immediate();
    this.sweep(); // the module goes once the row is gone for good
    this.announce();
    return app;
  }

  grants(ref: string): GrantRecord[] {
    return listGrants(this.db, this.app(ref).id);
  }

  /**
   * The grants of the app with id `appId`, which the caller has just read (`app`): not looked up
   * again, as `grants(ref)` does (a statement of every run, docs/design/runapp.md, eighth pass).
   * None for an app uninstalled meanwhile (its grants go with it), as `grants` gives none then.
   */
  grantsOf(appId: string): GrantRecord[] {
    return listGrants(this.db, appId);
  }

  /**
   * Stores the person's grants (all or none). A folder grant records what it grants (the folder's
   * resolved path and identity); a folder reached through a symbolic link that lies inside a
   * folder some grant makes writable is refused, as an app could have put that link there.
   *
   * Ambient Authority: resolves and stats the granted folders' host paths.
   */
  grant(ref: string, grants: GrantInput[]): GrantRecord[] {
    const id = this.app(ref).id;
    const pins = grants.map((g) => (g.kind === 'folder' ? this.pinFolder(g.host) : null));
    const store = (): void => grants.forEach((g, i) => addGrant(this.db, id, g, Date.now(), pins[i]));
    // Narrowing a folder takes access away: running runs hear of it as of a revocation.
    if (grants.some((g) => narrows(this.db, id, g))) this.takeAway(id, store);
    else {
      this.db.transaction(store).immediate();
      this.announce();
    }
    return listGrants(this.db, id);
  }

  /**
   * What granting folder `host` would grant now: its resolved path and identity. A path through a
   * symbolic link lying inside a folder some grant makes writable is refused (`planted-link`), as
   * an app could have put that link there; a path that is no folder is `bad-folder`.
   *
   * Ambient Authority: resolves and stats a host path the person named.
   */
  pinFolder(host: string): FolderPin {
    const planted = plantedLink(host, writableFolders(this.db));
    if (planted !== null) {
      throw new CodedError('planted-link', `${host} passes through the symbolic link ${planted.link}, which lies inside ${planted.inside}, a folder granted read-write (an app could have put it there); grant the folder it leads to by its own path`);
    }
    try {
      return pinFolder(host);
    } catch {
      throw new CodedError('bad-folder', `${host} is not a folder`);
    }
  }

  /** Resolved paths of every folder some grant, of any app, makes writable. */
  writableFolders(): string[] {
    return writableFolders(this.db);
  }

  /** Records what an older folder grant grants, on its first use (migration 0006). */
  pinGrant(grantId: number, pin: FolderPin): void {
    pinGrant(this.db, grantId, pin);
  }

  /** Removes matching grants; returns how many went. */
  revoke(ref: string, matches: RevokeMatch[]): number {
    const id = this.app(ref).id;
    return this.takeAway(id, () => matches.reduce((n, m) => n + revokeGrants(this.db, id, m), 0));
  }

  /** Removes every grant of an app, and its "deny always" answers. */
  reset(ref: string): number {
    const id = this.app(ref).id;
    return this.takeAway(id, () => {
      removeDenials(this.db, id);
      return resetGrants(this.db, id);
    });
  }

  history(ref: string, limit?: number): RunRecord[] {
    return listRuns(this.db, this.app(ref).id, limit);
  }

  /** Records a decision about an access outside the grants. */
  recordAudit(appId: string, runId: number | null, operation: string, path: string | null, decision: Decision): void {
    addAudit(this.db, appId, runId, operation, path, decision);
  }

  /** A page of an app's audit log, newest first (`before`: the last id of the previous page). */
  audit(ref: string, opts?: { decision?: Decision; limit?: number; before?: number }): AuditRecord[] {
    return listAudit(this.db, this.app(ref).id, opts);
  }

  /** Paths the person said never to ask about again. */
  denials(appId: string): string[] {
    return listDenials(this.db, appId);
  }

  /** Logs the start of a "Run once" of a module that is not installed; returns the log id. */
  onceStarted(name: string, sha256: string, source: string): number {
    return Number(this.db.prepare('INSERT INTO once_runs (name, sha256, source, started_at) VALUES (?, ?, ?, ?)').run(name, sha256, source, Date.now()).lastInsertRowid);
  }

  /** Logs a decision of a "Run once": the first AUDIT_ROWS_PER_RUN in full, then only counted. */
  onceDecision(id: number, operation: string, path: string, decision: Decision): void {
    this.db.prepare(`UPDATE once_runs SET
        decisions = CASE WHEN json_array_length(decisions) < ? THEN json_insert(decisions, '$[#]', json(?)) ELSE decisions END,
        more_decisions = more_decisions + (json_array_length(decisions) >= ?)
      WHERE id = ?`)
      .run(AUDIT_ROWS_PER_RUN, JSON.stringify({ operation, path, decision, at: isoTime(Date.now()) }), AUDIT_ROWS_PER_RUN, id);
  }

  /** Logs how a "Run once" ended. */
  onceEnded(id: number, outcome: string, exitCode: number | null): void {
    this.db.prepare('UPDATE once_runs SET ended_at = ?, outcome = ?, exit_code = ? WHERE id = ?').run(Date.now(), outcome, exitCode, id);
  }

  /** The "Run once" log, newest first; `moreDecisions` counts those past the kept ones. */
  onceLog(limit = 100): { id: number; name: string; sha256: string; source: string; startedAt: string; outcome: string | null; exitCode: number | null; decisions: unknown[]; moreDecisions: number }[] {
    return (this.db.prepare('SELECT * FROM once_runs ORDER BY started_at DESC, id DESC LIMIT ?').all(limit) as {
      id: number; name: string; sha256: string; source: string; started_at: number; outcome: string | null; exit_code: number | null; decisions: string; more_decisions: number;
    }[]).map((r) => ({ id: r.id, name: r.name, sha256: r.sha256, source: r.source, startedAt: isoTime(r.started_at), outcome: r.outcome, exitCode: r.exit_code, decisions: JSON.parse(r.decisions) as unknown[], moreDecisions: r.more_decisions }));
  }

  /** Forgets a "deny always" answer (or all of them); returns how many. */
  forgetDenials(ref: string, path?: string): number {
    return removeDenials(this.db, this.app(ref).id, path);
  }

  /** Remembers "deny always" for a path and everything below it. */
  denyAlways(appId: string, path: string): void {
    this.takeAway(appId, () => addDenial(this.db, appId, path));
  }

  /** The app's choice for access outside its grants: 'ask' (default) or 'deny'. */
  unknownAccess(appId: string): UnknownAccess {
    return unknownAccess(this.db, appId);
  }

  /** Sets the app's choice for access outside its grants. */
  setUnknownAccess(ref: string, mode: UnknownAccess): void {
    const id = this.app(ref).id;
    if (mode === 'deny') this.takeAway(id, () => setUnknownAccess(this.db, id, mode));
    else {
      setUnknownAccess(this.db, id, mode);
      this.announce();
    }
  }

  /**
   * The app's module bytes, checked against its recorded hash: by the stored file's stat signature
   * when it is the one recorded when they were last hashed, by hashing them otherwise (then the
   * new signature is recorded). docs/design/runapp.md.
   */
  moduleBytes(app: AppRecord): Uint8Array {
    let r: ReturnType<ModuleStore['readChecked']>;
    try {
      r = this.store.readChecked(app.sha256, moduleSignature(this.db, app.sha256));
    } catch (err) {
      throw moduleChanged(app, err);
    }
    if (r.signature !== undefined) this.keepSignature(app.sha256, r.signature);
    return r.bytes;
  }

  /** Records module `sha256`'s stat signature, its bytes just hashed and found right. */
  private keepSignature(sha256: string, signature: string): void {
    try {
      if (this.db.open) recordSignature(this.db, sha256, signature);
    } catch {
      // A busy or read-only library: the next run hashes again, which is all this saves.
    }
  }

  /**
   * `moduleBytes` off the main thread: the bytes, and `checked`, which rejects as `moduleBytes`
   * throws when they no longer match the recorded hash, by signature or hash alike (see
   * ModuleStore.readInBackground).
   */
  async moduleBytesInBackground(app: AppRecord): Promise<{ bytes: Uint8Array; checked: Promise<void> }> {
    try {
      const r = await this.store.readInBackground(app.sha256, moduleSignature(this.db, app.sha256));
      const checked = r.checked.then(() => {
        if (r.signature !== undefined) this.keepSignature(app.sha256, r.signature);
      }, (err: unknown) => Promise.reject(moduleChanged(app, err)));
      return { bytes: r.bytes, checked };
    } catch (err) {
      throw moduleChanged(app, err);
    }
  }

  /**
   * What a run's worker needs to read and prove `app`'s stored module itself (runtime `loadInWorker`,
   * warm-runs.md round 10): its file, hash and the stat signature recorded for it, if any. The
   * worker's answer comes back through `moduleProven` or `moduleRefused`.
   */
  moduleToLoad(app: AppRecord): { file: string; sha256: string; recorded?: string } {
    return { file: this.store.pathOf(app.sha256), sha256: app.sha256, recorded: moduleSignature(this.db, app.sha256) };
  }

  /** `app`'s module was read and proven elsewhere (`moduleToLoad`): `signature`, if any, is recorded as `moduleBytes` records one. */
  moduleProven(app: AppRecord, signature: string | undefined): void {
    if (signature !== undefined) this.keepSignature(app.sha256, signature);
  }

  /** The error a run of `app` ends with when its module could not be read or proven elsewhere (`err`): as `moduleBytes` throws. */
  moduleRefused(app: AppRecord, err: unknown): CodedError {
    return moduleChanged(app, err);
  }

  /**
   * Checks app's stored module ahead of its first run (the window's idle time, warm-runs.md round 8):
   * when no stat signature is recorded for it and its file has been left alone for SETTLE_MS, its
   * bytes are read and hashed in the background and, found right, its signature is recorded, as a
   * run's check would (`moduleBytesInBackground`); the run then reads it without hashing. Resolves to
   * how many ms until the file will have settled when it has not (nothing read), else 0. A missing
   * or changed file records nothing: the run refuses it and says why.
   */
  async checkAhead(app: AppRecord): Promise<number> {
    if (moduleSignature(this.db, app.sha256) !== undefined) return 0;
    try {
      const wait = this.store.settlesIn(app.sha256);
      if (wait > 0) return wait;
      const read = await this.moduleBytesInBackground(app);
      await read.checked;
      releaseBytes(read.bytes); // read only to be hashed: its 21 MB (flite) freed now, not at the next full GC
    } catch {
      // Missing or changed: the run reports it.
    }
    return 0;
  }

  /** A component's transpiled output stored at install, if still there and unchanged (issue 15). */
  transpiled(app: AppRecord): TranspiledFiles | undefined {
    const t = app.inspection.component?.transpiled;
    return t === undefined ? undefined : readTranspiled(this.store, app.sha256, t.sha256);
  }

  /**
   * Stores the output for the WASI 0.2 host of `app`'s module (as it ran: `app.sha256`) that a run
   * had to transpile because none was stored (a new transpiler's name, a removed or changed file),
   * exactly as install stores it, so the next run reads it instead (issue 15). Returns false,
   * storing nothing, when no app uses that module any more; throws (leaving the library as it
   * was) when it cannot be written.
   */
  storeTranspiled(app: AppRecord, files: TranspiledFiles, ms: number): boolean {
    const { bytes, record } = packForStore(files, ms);
    return this.db.transaction((): boolean => {
      if (appsWithModule(this.db, app.sha256).length === 0) return false;
      this.keepTranspiled(app.sha256, bytes, record);
      return true;
    }).immediate();
  }

  /**
   * Under the write lock: puts `packed` in the store as module `sha256`'s output and records it
   * (`record`) with every app of that module, so none is left naming an output no longer there.
   */
  private keepTranspiled(sha256: string, packed: Uint8Array, record: TranspiledRecord): void {
    writeTranspiled(this.store, sha256, packed);
    setTranspiled(this.db, sha256, record);
  }

  /** Records that a run starts (and that the grants it uses were used); returns the run id. */
  runStarted(app: AppRecord, args: string[], grantIds: number[]): number {
    try {
      return this.db.transaction(() => {
        const now = Date.now();
        touchGrants(this.db, grantIds, now);
        return startRunRow(this.db, app.id, args, now, process.pid);
      }).immediate();
    } catch (err) {
      // Uninstalled (here or in another process) since it was looked up: its runs went with it.
      if (!/FOREIGN KEY constraint failed/.test((err as Error).message) || findApp(this.db, app.id) !== undefined) throw err;
      throw new CodedError('not-found', `no installed app is called "${app.name}" (it was uninstalled)`);
    }
  }

  /** Records how a run ended. */
  runEnded(runId: number, outcome: string, exitCode: number | null, bytesOut: number): void {
    endRunRow(this.db, runId, outcome, exitCode, bytesOut, Date.now());
  }
}
