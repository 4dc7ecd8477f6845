/**
 * Terrarium's own log of host errors met while running an app (DESIGN §3: a host exception is
 * logged and the app gets `io`). It is a file in Terrarium's data folder, never the app's output,
 * so a stack trace of Terrarium's code cannot be mixed into what the app prints. A run writes at
 * most MAX_ENTRIES_PER_RUN entries, and the file is started afresh (the previous one kept as
 * `terrarium.log.1`) past MAX_LOG_BYTES, so an app provoking errors in a loop cannot fill a disk.
 *
 * Ambient Authority: appends to `<home>/terrarium.log`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isoTime } from '../shared/iso-time.ts';

/** Most entries one run writes. */
export const MAX_ENTRIES_PER_RUN = 20;
/** Size past which the log is rotated. */
export const MAX_LOG_BYTES = 1024 * 1024;

/** One run's view of the log. */
export interface HostLog {
  /** The log file's path (to name it in a one-line notice). */
  readonly file: string;
  /** Appends one entry (a one-line message, then its detail); false once the run's share is used. */
  write(message: string, detail?: string): boolean;
}

/**
 * The log in `home`, for the run described by `label` (for example `run APP`). `home` may be given
 * as a function, asked at the first entry: a run that logs nothing (nearly every one) never works
 * out the data folder's path (`terrarium run FILE`'s start-up, issue 14.2).
 */
export function hostLog(home: string | (() => string), label: string): HostLog {
  let folder: string | undefined;
  const homeDir = (): string => (folder ??= typeof home === 'string' ? home : home());
  const logFile = (): string => path.join(homeDir(), 'terrarium.log');
  let written = 0;
  return {
    get file() {
      return logFile();
    },
    write(message, detail) {
      if (written >= MAX_ENTRIES_PER_RUN) return false;
      written++;
      const more = written === MAX_ENTRIES_PER_RUN ? `\n  (no more entries from this run)` : '';
      const body = detail ? `\n${detail.replace(/^/gm, '  ')}` : '';
      try {
        const file = logFile();
        fs.mkdirSync(homeDir(), { recursive: true });
        if ((fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_LOG_BYTES) fs.renameSync(file, `${file}.1`);
        fs.appendFileSync(file, `${isoTime(Date.now())} ${label}: ${message}${body}${more}\n`);
      } catch {
        // A log that cannot be written must not stop the run.
      }
      return true;
    },
  };
}
