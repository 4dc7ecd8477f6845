/**
 * Folder grants as they stand now (DESIGN §3.1): is each still the folder the person granted
 * (stale otherwise), and how does it overlap read-only grants (the least access wins). One source
 * for the run's policy, `terrarium grants` and the window's grants editor.
 */
import type { Library } from '../library/library.ts';
import type { FolderIdentity, GrantAccess, GrantRecord } from '../library/types.ts';
import { isInside, pinFolder, plantedLink, staleReason } from '../runtime/pinned-folder.ts';

/** How older grants (made before identities were recorded) are handled. */
export interface StatusOptions {
  /** Resolved folders some grant, of any app, makes writable. */
  writable?: readonly string[];
  /** Records the identity of an older grant on its first use. */
  onPin?: (grantId: number, pin: FolderIdentity) => void;
}

type Folder = Extract<GrantRecord, { kind: 'folder' }>;

/**
 * An older grant's identity, recorded now unless its path passes through a symbolic link inside a
 * writable folder (an app could have planted it, so what it leads to is not what was granted).
 */
function legacyPin(g: Folder, o: StatusOptions): FolderIdentity | string {
  const planted = plantedLink(g.host, o.writable ?? []);
  if (planted !== null) {
    return `granted before Terrarium recorded folder identities, and its path passes through the symbolic link ${planted.link} inside the writable folder ${planted.inside}`;
  }
  try {
    const pin = pinFolder(g.host);
    o.onPin?.(g.id, pin);
    return pin;
  } catch {
    return `${g.host} no longer exists or is not a folder`;
  }
}

/**
 * `grants` with every folder grant's `pin`, `stale` reason (if it was replaced) and `overlap`
 * note (a read-write grant inside or around a read-only one).
 *
 * Ambient Authority: opens (without following symlinks) the granted folders to check them.
 */
export function withStatus(grants: readonly GrantRecord[], o: StatusOptions = {}): GrantRecord[] {
  const out = grants.map((g): GrantRecord => {
    if (g.kind !== 'folder') return g;
    const { stale: _s, overlap: _o, ...rest } = g;
    const pin = g.pin ?? legacyPin(g, o);
    if (typeof pin === 'string') return { ...rest, pin: null, stale: pin };
    const reason = staleReason(pin);
    return reason === null ? { ...rest, pin } : { ...rest, pin, stale: reason };
  });
  const live = out.filter((g): g is Folder & { pin: FolderIdentity } => g.kind === 'folder' && g.stale === undefined && !!g.pin);
  const readOnly = live.filter((g) => g.access === 'read');
  for (const g of live) {
    if (g.access !== 'read-write') continue;
    const outer = readOnly.find((r) => isInside(g.pin.resolved, r.pin.resolved));
    const inner = readOnly.find((r) => isInside(r.pin.resolved, g.pin.resolved));
    if (outer) g.overlap = { kind: 'inside-read-only', folder: outer.host, note: `read-only wins: inside read-only folder ${outer.host}` };
    else if (inner) g.overlap = { kind: 'contains-read-only', folder: inner.host, note: `read-only wins: contains read-only folder ${inner.host}` };
  }
  return out;
}

/**
 * How `lib` handles older grants: every writable folder of every app, identities recorded. The
 * writable folders are read at the first older grant's check (before its pin is recorded), not
 * for grants that have their identity: most runs have none, and the query was a statement of
 * every run (docs/design/runapp.md, eighth pass).
 */
export function statusOptions(lib: Library): StatusOptions {
  let writable: readonly string[] | undefined;
  return {
    get writable() {
      return (writable ??= lib.writableFolders());
    },
    onPin: (id, pin) => lib.pinGrant(id, pin),
  };
}

/** App `ref`'s grants with their status (see `withStatus`), as `terrarium grants` and the window show them. */
export function grantStatus(lib: Library, ref: string): GrantRecord[] {
  return withStatus(lib.grants(ref), statusOptions(lib));
}

/** True when a folder grant is read-only for runs (its own access, or inside a read-only grant). */
export function readOnlyForRuns(g: Folder): boolean {
  return g.access === 'read' || g.overlap?.kind === 'inside-read-only';
}

/** A word for a POSIX shell: as is when plain, else single-quoted. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The command that grants folder `host` (seen as `guest`) to `appName` again. */
export function regrantCommand(appName: string, host: string, guest: string, access: GrantAccess): string {
  const spec = `${host}${guest === host ? '' : `::${guest}`}${access === 'read' ? ':ro' : ''}`;
  return `terrarium grant ${shellWord(appName)} --dir ${shellWord(spec)}`;
}

/** One line saying that a grant is stale, that the run starts without it, and how to re-grant it. */
export function staleNotice(appName: string, s: { grantId?: number; host: string; guest: string; access: GrantAccess; reason: string }): string {
  const which = s.grantId === undefined ? `the folder ${s.host}` : `grant #${s.grantId} (folder ${s.host})`;
  return `${which} is stale: ${s.reason}; the run starts without it. If that folder is the one you mean, grant it again: ${regrantCommand(appName, s.host, s.guest, s.access)}`;
}
