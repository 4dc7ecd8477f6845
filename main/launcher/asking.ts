/**
 * Deciding an access outside an app's grants (DESIGN §5): "deny always" answers first, then the
 * files the person handed to the run by gesture, then the app's mode ('deny' never asks), then the
 * person, through whatever UI the run has. A "deny always" or the deny mode recorded while the
 * question was on screen (another window, another process) outranks the answer: standing rules
 * are read again once it comes (the revocation that recorded them found no answer yet to take
 * back). Every decision lands in the audit log; "allow always" becomes a folder grant (from the
 * next run on), "deny always" a remembered denial.
 */
import path from 'node:path';
import type { Library } from '../library/library.ts';
import { CodedError } from '../shared/coded-error.ts';
import type { AppRecord, GrantAccess } from '../library/types.ts';
import { type AskOperation, isChange } from '../runtime/ask.ts';
import { isInside } from '../runtime/pinned-folder.ts';

/** The person's answer to a prompt. */
export type Answer = 'allow-once' | 'allow-always' | 'deny' | 'deny-always';

/** A question to put to the person. */
export interface Question {
  appName: string;
  operation: AskOperation;
  /** The normalised host path. */
  path: string;
  /** Why the app says it needs it (its manifest), if it says. */
  reason: string | null;
  /**
   * A change inside a folder granted read-only: "allow changes too?" (runtime/upgrade.ts). An
   * allow widens that folder to read & write for the run, "always" in its stored grant too.
   */
  upgrade?: { grantId: number; folder: string };
}

/** Asks the person; resolves to their answer (a UI that cannot ask resolves 'deny'). */
export type Prompter = (q: Question) => Promise<Answer>;

/** How an "allow always" grants the folder: read-only for reading and listing, else (any change) read-write. */
export function grantAccessFor(operation: AskOperation): GrantAccess {
  return isChange(operation) ? 'read-write' : 'read';
}

/**
 * What handing a file to a run by gesture means: its content may be read and (re)written, nothing
 * else (a link, a rename or new times of it are asked about like any other path).
 */
const GESTURE_OPERATIONS: readonly AskOperation[] = ['read', 'write', 'truncate'];

/** The folder an "allow always" grants: the folder itself for listing, else the file's folder. */
export function grantFolderFor(operation: AskOperation, p: string): string {
  return operation === 'list' ? p : path.dirname(p);
}

/** The folder grant of `appId` granted read-only that holds `p` (the innermost), if any. */
export function readOnlyGrantAround(lib: Library, appId: string, p: string): { grantId: number; folder: string } | undefined {
  let best: { grantId: number; folder: string; root: string } | undefined;
  for (const g of lib.grants(appId)) {
    if (g.kind !== 'folder' || g.access !== 'read') continue;
    const root = g.pin?.resolved ?? path.resolve(g.host);
    if (isInside(p, root) && (best === undefined || root.length > best.root.length)) best = { grantId: g.id, folder: g.host, root };
  }
  return best && { grantId: best.grantId, folder: best.folder };
}

/**
 * The decision function for one run of `app` (its runtime `onAsk`). `prompter` null means no UI
 * can ask (a CLI without a terminal): then ask means deny, and `onDenied` says so. An "allow
 * always" whose folder cannot be granted (gone, or reached through a link an app could have
 * planted) allows this access once, and `onNotKept` says why nothing was remembered.
 */
export function decider(
  lib: Library, app: AppRecord, runId: number, prompter: Prompter | null, onDenied?: (q: Question) => void,
  oneTimeFiles: ReadonlySet<string> = new Set(), onNotKept?: (q: Question, why: string) => void,
): (operation: AskOperation, hostPath: string) => Promise<boolean> {
  const reason = app.manifest?.needs.map((n) => n.reason).find((r) => r) ?? null;
  return async (operation, hostPath) => {
    const p = path.resolve(hostPath);
    const upgrade = isChange(operation) ? readOnlyGrantAround(lib, app.id, p) : undefined;
    const q: Question = { appName: app.name, operation, path: p, reason, ...(upgrade ? { upgrade } : {}) };
    // `onDenied` tells about denials nobody was asked about (the person saw their own answer).
    const denied = (asked: boolean): false => {
      lib.recordAudit(app.id, runId, operation, p, 'denied');
      if (!asked) onDenied?.(q);
      return false;
    };
    const deniedAlways = (): boolean => lib.denials(app.id).some((d) => p === d || p.startsWith(d.endsWith('/') ? d : `${d}/`));
    if (deniedAlways()) return denied(false);
    // Files the person handed to this run by gesture: exactly those, for this run (audited as used).
    if (oneTimeFiles.has(p) && GESTURE_OPERATIONS.includes(operation)) {
      lib.recordAudit(app.id, runId, operation, p, 'allowed');
      return true;
    }
    if (lib.unknownAccess(app.id) === 'deny' || prompter === null) return denied(false);
    const answer = await prompter(q);
    // Recorded while the question was on screen: the standing rule wins over this answer.
    if (answer !== 'deny' && answer !== 'deny-always' && (deniedAlways() || lib.unknownAccess(app.id) === 'deny')) return denied(false);
    if (answer === 'deny') return denied(true);
    if (answer === 'deny-always') {
      lib.denyAlways(app.id, p);
      return denied(true);
    }
    if (answer === 'allow-always') {
      const folder = grantFolderFor(operation, p);
      const widened = upgrade && lib.grants(app.id).find((g) => g.id === upgrade.grantId && g.kind === 'folder');
      try {
        // An upgrade widens the read-only grant itself (same folder, same guest name, re-pinned).
        if (widened && widened.kind === 'folder') lib.grant(app.id, [{ kind: 'folder', host: widened.host, guest: widened.guest, access: 'read-write' }]);
        else lib.grant(app.id, [{ kind: 'folder', host: folder, guest: folder, access: grantAccessFor(operation) }]);
      } catch (err) {
        if (!(err instanceof CodedError)) throw err;
        onNotKept?.(q, err.message);
      }
    }
    lib.recordAudit(app.id, runId, operation, p, 'prompted-allowed');
    return true;
  };
}
