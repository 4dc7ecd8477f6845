/**
 * Turning an app's stored grants into the frozen capabilities a run gets (DESIGN §5): the only
 * place they are made. Grants are the person's decisions; nothing else is given.
 */
import fs from 'node:fs';
import type { GrantRecord } from '../library/types.ts';
import type { Preopen } from '../runtime/run.ts';

/** What one run of an app may use. */
export interface Policy {
  readonly preopens: readonly Preopen[];
  readonly env: readonly (readonly [string, string])[];
  readonly defaultArgs: readonly string[];
  readonly memoryMaxBytes?: number;
  readonly timeoutMs?: number;
  /** The grants this policy was made from (their last-used time is updated per run). */
  readonly grantIds: readonly number[];
}

/** A grant that cannot be honoured right now (e.g. its folder is gone). */
export class PolicyError extends Error {}

/**
 * The policy for `grants`. Forwarded variables are read from `hostEnv` now; a variable the host
 * does not have is left out.
 *
 * Ambient Authority: reads the host environment for forwarded variables and checks that granted
 * folders still exist.
 */
export function policyFor(grants: readonly GrantRecord[], hostEnv: NodeJS.ProcessEnv = process.env): Policy {
  const preopens: Preopen[] = [];
  const env = new Map<string, string>();
  let defaultArgs: string[] = [];
  let memoryMaxBytes: number | undefined;
  let timeoutMs: number | undefined;
  for (const g of grants) {
    switch (g.kind) {
      case 'folder': {
        let ok = false;
        try {
          ok = fs.statSync(g.host).isDirectory();
        } catch {
          ok = false;
        }
        if (!ok) throw new PolicyError(`the granted folder ${g.host} no longer exists; revoke or re-grant it`);
        preopens.push(Object.freeze({ hostPath: g.host, guestPath: g.guest, readOnly: g.access === 'read', grantId: g.id }));
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
  });
}
