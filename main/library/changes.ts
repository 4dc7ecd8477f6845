/**
 * How a change that takes access away reaches the runs of every Terrarium process (issue 9,
 * point 5; DESIGN §3.1 "Revocation reaches every running run of the app, in any Terrarium process").
 *
 * 1. The change commits together with a rise of the app's `revision` (one transaction), so a run
 *    that reads the revision sees either the old permissions or the new ones, never half.
 * 2. After the commit, the process that made it writes the signal file `<home>/revocations`.
 *    Every process with a running run watches the library folder for it (`fs.watch`: inotify,
 *    FSEvents, ReadDirectoryChangesW), so it hears of the change at once, with no polling.
 * 3. On the signal, each watched app's revision is read again; where it rose, the launcher takes
 *    from the run what is no longer granted (launcher/revocation.ts).
 *
 * The same signal, with no rise of a revision, tells of changes that take nothing away (an
 * install, an uninstall, a new or widened grant), so every window shows them without a reload
 * (issue 13.5); a run reading an unchanged revision loses nothing.
 *
 * The signal carries no data: a lost or doubled event costs one cheap query, and the database
 * stays the only source of truth. Where a watch cannot be set up (no inotify instances left,
 * some network file systems), a 250 ms timer reads `PRAGMA data_version` instead — it changes
 * only when another connection committed, and reading it touches no table — which is the one
 * place Terrarium checks by time: nothing else could tell it within the promised second.
 *
 * Ambient Authority: reads and writes the signal file in the library's own folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { exec, one, sql } from './sql.ts';

/** The signal file's name in the library folder. */
export const SIGNAL_FILE = 'revocations';

const FALLBACK_MS = 250;

/** Raises `appId`'s revision; call it in the transaction that takes access away. */
export function bumpRevision(db: Database.Database, appId: string): void {
  exec(db, sql`UPDATE apps SET revision = revision + 1 WHERE id = ${appId}`);
}

/** `appId`'s revision (0 for an app that is gone). */
export function appRevision(db: Database.Database, appId: string): number {
  return one<{ revision: number }>(db, sql`SELECT revision FROM apps WHERE id = ${appId}`)?.revision ?? 0;
}

/** Tells every watching process that a change was committed (after the commit). */
export function signalChange(home: string): void {
  try {
    fs.writeFileSync(path.join(home, SIGNAL_FILE), `${process.pid} ${Date.now()}\n`);
  } catch {
    // A read-only library folder: nothing here can change either.
  }
}

/**
 * Calls `onSignal` whenever some process signals a change in `home`, until the returned stop is
 * called. Holds no reference on the event loop (a finished command still exits).
 */
export function watchChanges(home: string, db: Database.Database, onSignal: () => void, log?: (m: string) => void): () => void {
  let watcher: fs.FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  const fallback = (why: string): void => {
    watcher?.close();
    watcher = undefined;
    if (timer) return;
    log?.(`cannot watch ${home} (${why}); checking the library for revocations every ${FALLBACK_MS} ms instead`);
    let seen = db.pragma('data_version', { simple: true });
    timer = setInterval(() => {
      const now = db.pragma('data_version', { simple: true });
      if (now !== seen) {
        seen = now;
        onSignal();
      }
    }, FALLBACK_MS);
    timer.unref();
  };
  const watch = (): void => {
    try {
      // The folder, not the file: the file need not exist until the first revocation, and a
      // replaced file keeps being heard. Other files' events (the database's) are passed over.
      watcher = fs.watch(home, { persistent: false }, (_event, name) => {
        if (name === null || name === SIGNAL_FILE) onSignal();
      });
      watcher.on('error', (err) => fallback(err.message));
    } catch (err) {
      fallback((err as Error).message);
    }
  };
  watch();
  return () => {
    watcher?.close();
    if (timer) clearInterval(timer);
  };
}

/**
 * `watchChanges`, set up only after `afterMs` (then `onSignal` is called once, for what was
 * committed meanwhile), for a terminal run (`Library.openForRun`): most of them end before, and
 * never pay the watch (`fs.watch`: ~0.5 ms and a built-in module at start, issue 14.2); a guest on
 * the command's own thread could not hear a signal before it ends anyway. A run still hears a
 * revocation within `afterMs` plus the signal's delivery. Holds no reference on the event loop.
 */
export function watchChangesLater(home: string, db: Database.Database, onSignal: () => void, afterMs: number): () => void {
  let stop: (() => void) | undefined;
  const timer = setTimeout(() => {
    stop = watchChanges(home, db, onSignal);
    onSignal();
  }, afterMs);
  timer.unref();
  return () => {
    clearTimeout(timer);
    stop?.();
  };
}

/** How long a terminal run goes before it watches for changes (watchChangesLater): the fallback's period. */
export const RUN_WATCH_AFTER_MS = FALLBACK_MS;
