/**
 * The fuzzer's host tree: a read-write grant, a read-only grant and an outside folder beside
 * them holding a unique canary string (in file contents and in a folder name), with symlinks in
 * both grants that point inside, up, out and to absolute paths.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostSnapshot, type TreeSpec, writeTree } from '../helpers/sandbox-box.ts';

/**
 * Which tree: `plain` (rw and ro); `overlap` also grants rw/inner read-only as /rw/inner (issue 9,
 * point 2); `ask` adds an ask-mode folder /ask whose every question is answered yes only for
 * reading and listing (point 3).
 */
export type Variant = 'plain' | 'overlap' | 'ask';

/** The third grant of a variant, and the prefix its changes are reported under. */
export interface ExtraGrant {
  hostPath: string;
  guestPath: string;
  readOnly: boolean;
  ask: boolean;
  label: string;
}

/** One run's folders. */
export interface FuzzTree {
  root: string;
  rw: string;
  ro: string;
  outside: string;
  canary: string;
  /** Absolute host paths of outside entries (symlink targets worth trying). */
  hostPaths: string[];
  /** A third grant (fd 5) in the `overlap` and `ask` variants; it must not change. */
  extra?: ExtraGrant;
  remove(): void;
}

function grantSpec(root: string, label: string): TreeSpec {
  return {
    f: `hello from ${label}\n`,
    'd/g': 'g\n',
    link_in: { link: 'f' },
    link_dir: { link: 'd' },
    link_out: { link: '../outside/canary.txt' },
    link_abs: { link: join(root, 'outside', 'canary.txt') },
    link_up: { link: '..' },
    link_loop: { link: 'link_loop' },
    link_dotdot: { link: 'd/../../outside' },
  };
}

/** Creates a fresh tree of `variant` under the system temp folder with a new random canary. */
export function makeFuzzTree(canary = `TFZ-CANARY-${randomBytes(8).toString('hex')}`, variant: Variant = 'plain'): FuzzTree {
  const root = mkdtempSync(join(tmpdir(), 'terrarium-fuzz-'));
  const outside = join(root, 'outside');
  writeTree(outside, {
    'canary.txt': `${canary}\n`.repeat(4),
    [`${canary}/canary.txt`]: canary,
    'sub/deep.txt': `deep ${canary}`,
  });
  writeTree(join(root, 'rw'), grantSpec(root, 'rw'));
  writeTree(join(root, 'ro'), grantSpec(root, 'ro'));
  let extra: ExtraGrant | undefined;
  if (variant === 'overlap') {
    extra = { hostPath: join(root, 'rw', 'inner'), guestPath: '/rw/inner', readOnly: true, ask: false, label: 'rw/inner/' };
    writeTree(extra.hostPath, { f: 'inner\n', 'd/g': 'g\n', link_in: { link: 'f' } });
  } else if (variant === 'ask') {
    extra = { hostPath: join(root, 'ask'), guestPath: '/ask', readOnly: false, ask: true, label: 'ask/' };
    writeTree(extra.hostPath, grantSpec(root, 'ask'));
  }
  return {
    extra,
    root,
    rw: join(root, 'rw'),
    ro: join(root, 'ro'),
    outside,
    canary,
    hostPaths: [join(outside, 'canary.txt'), outside, join(root, 'ro', 'f'), '/etc/passwd'],
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * Snapshots of everything the guest must not change: the outside folder (not even read: atimes
 * are checked where the filesystem records them) and the read-only grants (read, never changed),
 * each with the prefix its paths are reported under.
 */
export function protectedSnapshot(t: FuzzTree): { label: string; snap: HostSnapshot }[] {
  const e = t.extra;
  const snaps = [{ label: '', snap: HostSnapshot.take(t.root, { skip: e ? [t.rw, e.hostPath] : [t.rw], readable: [t.ro] }) }];
  if (e) snaps.push({ label: e.label, snap: HostSnapshot.take(e.hostPath, { readable: [e.hostPath] }) });
  return snaps;
}

/** The path names worth trying in the overlap run (the nested read-only grant, by both routes). */
export const OVERLAP_NAMES = ['inner', 'inner/f', 'inner/d/g', 'inner/new', 'inner/d', 'inner/link_in', '../rw/inner/f', 'f', 'd/g', 'new'];
