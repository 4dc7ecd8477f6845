/**
 * A fuzz campaign: many scripts, each from its own seed derived from the campaign's seed, each
 * run on a fresh canary tree; findings are kept with the script seed that reproduces them.
 */
import { generateScript } from './generate.ts';
import { runOnTerrarium } from './run-terrarium.ts';
import { OVERLAP_NAMES, type Variant, makeFuzzTree } from './tree.ts';

/** How to run a campaign. */
export interface CampaignOptions {
  seed: number;
  /** Total calls (rounded up to whole scripts). */
  calls: number;
  callsPerScript: number;
  /** A run that has not exited after this long is a hang. */
  deadlineMs: number;
  /** The tree (tree.ts): `plain` unless told. */
  variant?: Variant;
  onScript?: (done: number, total: number, findings: number) => void;
}

/** One finding, with the script seed that reproduces it (`npm run fuzz -- --script SEED`). */
export interface Finding {
  scriptSeed: number;
  message: string;
}

/** What a campaign did. */
export interface CampaignResult {
  scripts: number;
  calls: number;
  ms: number;
  findings: Finding[];
}

/** The seed of script `i` of campaign `seed`. */
export function scriptSeed(seed: number, i: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0;
}

/** Runs one script (by its seed) on a fresh tree; returns its findings. */
export async function runScript(seed: number, calls: number, deadlineMs: number, variant: Variant = 'plain'): Promise<string[]> {
  const tree = makeFuzzTree(undefined, variant);
  try {
    const names = variant === 'overlap' ? OVERLAP_NAMES : undefined;
    const extraDir = variant !== 'plain';
    const script = generateScript(seed, { calls, canary: tree.canary, hostPaths: tree.hostPaths, names, extraDir, stdio: true, exit: true });
    return (await runOnTerrarium(script, tree, deadlineMs)).findings;
  } finally {
    tree.remove();
  }
}

/** Runs the campaign, one script at a time. */
export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const start = performance.now();
  const scripts = Math.max(1, Math.ceil(o.calls / o.callsPerScript));
  const findings: Finding[] = [];
  for (let i = 0; i < scripts; i++) {
    const s = scriptSeed(o.seed, i);
    for (const message of await runScript(s, o.callsPerScript, o.deadlineMs, o.variant)) findings.push({ scriptSeed: s, message });
    o.onScript?.(i + 1, scripts, findings.length);
  }
  return { scripts, calls: scripts * o.callsPerScript, ms: performance.now() - start, findings };
}
