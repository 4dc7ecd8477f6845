/**
 * Turning an app's stored grants into the frozen capabilities a run gets (DESIGN §5): the only
 * place they are made. Grants are the person's decisions; nothing else is given.
 */
import type { GrantAccess, GrantRecord } from '../library/types.ts';
import { identityKey } from '../runtime/pinned-folder.ts';
import type { Preopen } from '../runtime/run.ts';
import { type StatusOptions, readOnlyForRuns, withStatus } from './grant-status.ts';

/** A folder grant the run leaves out because its folder is no longer the one granted. */
export interface StaleGrant {
  grantId: number;
  host: string;
  guest: string;
  access: GrantAccess;
  reason: string;
}

/** What one run of an app may use. */
export interface Policy {
  readonly preopens: readonly Preopen[];
  readonly env: readonly (readonly [string, string])[];
  readonly defaultArgs: readonly string[];
  readonly memoryMaxBytes?: number;
  readonly timeoutMs?: number;
  /** The grants this policy was made from (their last-used time is updated per run). */
  readonly grantIds: readonly number[];
  /** Folder grants left out of the run: replaced, gone, or not to be trusted (grant-status.ts). */
  readonly stale: readonly StaleGrant[];
  /**
   * Identities of the folders granted read-only that the run does not open (stale): an app that
   * moved one inside a writable grant still cannot change it (see RunSpec.readOnlyDirs).
   */
  readonly readOnlyDirs: readonly string[];
}

/**
 * The policy for `grants`. Forwarded variables are read from `hostEnv` now; a variable the host
 * does not have is left out. A folder that is no longer the one granted is left out (`stale`); a
 * read-write folder inside a read-only one is read-only (least access wins).
 *
 * Ambient Authority: reads the host environment for forwarded variables and checks that granted
 * folders are still the ones granted.
 */
export function policyFor(grants: readonly GrantRecord[], hostEnv: NodeJS.ProcessEnv = process.env, status: StatusOptions = {}): Policy {
  const preopens: Preopen[] = [];
  const stale: StaleGrant[] = [];
  const readOnlyDirs: string[] = [];
  const env = new Map<string, string>();
  let defaultArgs: string[] = [];
  let memoryMaxBytes: number | undefined;
  let timeoutMs: number | undefined;
  for (const g of withStatus(grants, status)) {
    switch (g.kind) {
      case 'folder': {
        if (g.stale !== undefined || !g.pin) {
          if (g.pin && g.access === 'read') readOnlyDirs.push(identityKey(g.pin.dev, g.pin.ino));
          stale.push(Object.freeze({ grantId: g.id, host: g.host, guest: g.guest, access: g.access, reason: g.stale ?? 'not recorded' }));
          break;
        }
        const pin = Object.freeze({ ...g.pin });
        // A folder granted read-only may grow to read & write when the person allows changes
        // (runtime/upgrade.ts); one read-only only by overlap stays so (read-only wins).
        const upgradable = g.access === 'read' || undefined;
        preopens.push(Object.freeze({ hostPath: g.pin.resolved, guestPath: g.guest, readOnly: readOnlyForRuns(g), upgradable, grantId: g.id, pin }));
        break;
      }
      case 'env':
        if ('forward' in g) {
          if (hostEnv[g.name] !== undefined) env.set(g.name, hostEnv[g.name]!);
        } else {
          env.set(g.name, g.value);
        }
        break;
      case 'args':
        defaultArgs = [...g.args];
        break;
      case 'limit':
        if (g.name === 'memory-max-mib') memoryMaxBytes = Math.floor(g.value * 1024 * 1024);
        else timeoutMs = g.value * 1000;
        break;
    }
  }
  return Object.freeze({
    preopens: Object.freeze(preopens),
    env: Object.freeze([...env].map((e) => Object.freeze(e))),
    defaultArgs: Object.freeze(defaultArgs),
    memoryMaxBytes,
    timeoutMs,
    grantIds: Object.freeze(grants.map((g) => g.id)),
    stale: Object.freeze(stale),
    readOnlyDirs: Object.freeze(readOnlyDirs),
  });
}
