/**
 * Revocation reaches a running run (DESIGN §3.1, §5; issue 9 point 5): when the app's revision
 * rises — a revoke, a reset, a "deny always" or unknown access set to deny, made in this process
 * or any other (library/changes.ts) — the run loses at its next access what is no longer granted:
 * the preopens of removed grants (every descriptor reached through them fails with `acces`), and
 * its ask answers that a removed grant, a "deny always" or the deny mode now covers. A folder
 * narrowed from read & write to read-only counts as revoked for a run that has it writable
 * (`widened`: the read-only grants the person made read & write for good while the run asked to
 * change them, runtime/upgrade.ts; a change allowed once is not stored, so there is nothing to narrow).
 */
import path from 'node:path';
import type { Library } from '../library/library.ts';
import type { GrantAccess } from '../library/types.ts';
import type { Preopen, RunHandle } from '../runtime/run.ts';

/** `p` is `dir` or lies below it. */
function under(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`);
}

/** The folder grants of `appId` by id: host path and access (none once the app is uninstalled: its grants went with it). */
function folderGrants(lib: Library, appId: string): Map<number, { host: string; access: GrantAccess }> {
  const m = new Map<number, { host: string; access: GrantAccess }>();
  for (const g of lib.grantsOf(appId)) if (g.kind === 'folder') m.set(g.id, { host: g.host, access: g.access });
  return m;
}

/**
 * Keeps run `handle` of app `appId` (started with `preopens`) in step with the library's grants
 * until the run ends. `since`: the app's revision read before the grants `preopens` came from
 * (launch.ts `prepareRun`); a change committed since then, before this call, is applied at once
 * (no later change might come to announce it). Without it, the revision now.
 */
export function followRevocations(
  lib: Library, appId: string, handle: RunHandle, preopens: readonly Preopen[], widened: ReadonlySet<number> = new Set(), since?: number,
): void {
  let revision = since ?? lib.revision(appId);
  // Every folder grant the run has known, including those an "allow always" adds while it runs.
  const known = folderGrants(lib, appId);
  const check = (): void => {
    const now = lib.revision(appId);
    if (now === revision) return;
    revision = now;
    const current = folderGrants(lib, appId);
    // A folder narrowed to read-only (same grant, less access) is taken from a run that has it
    // writable (from the start, or widened for good by the person's answer), as a revoked one is:
    // its next access fails; the next run gets it read-only.
    preopens.forEach((p, i) => {
      if (p.grantId === undefined) return;
      const g = current.get(p.grantId);
      const writable = !p.readOnly || widened.has(p.grantId);
      if (!g || (writable && g.access === 'read')) handle.revoke(i);
    });
    const removed = [...known].filter(([id]) => !current.has(id)).map(([, g]) => g.host);
    for (const [id, g] of current) known.set(id, g);
    for (const [id] of known) if (!current.has(id)) known.delete(id);
    const denials = lib.denials(appId);
    const denyAll = lib.unknownAccess(appId) === 'deny';
    handle.forgetAnswers((_op, hostPath) => denyAll || denials.some((d) => under(hostPath, d)) || removed.some((h) => under(hostPath, h)));
  };
  const stop = lib.onChange(check);
  void handle.done.finally(stop);
  if (since !== undefined) check();
}
