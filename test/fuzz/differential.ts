/**
 * Differential fuzzing: the same generated script on Terrarium and on Wasmtime, each against
 * its own copy of the canary tree; compares the errno of every call (up to the first
 * difference, after which the two runs' states differ) and, when all errnos agree, the
 * resulting read-write trees.
 */
import { mkdtempSync, readFileSync, readdirSync, lstatSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureWasm } from '../helpers/sandbox-box.ts';
import { FUNCTIONS } from './functions.ts';
import { generateScript } from './generate.ts';
import { explain } from './intended.ts';
import { parseResults } from './results.ts';
import { checkResults, runOnTerrarium } from './run-terrarium.ts';
import { makeFuzzTree } from './tree.ts';
import type { WasmtimeRunner } from './wasmtime.ts';

/**
 * One disagreement: a call whose errno differs (`terrarium`/`wasmtime` are errnos), the run's
 * end, or a path of the read-write tree afterwards (`fn` is then "run" or "tree PATH").
 */
export interface Difference {
  scriptSeed: number;
  call: number;
  fn: string;
  terrarium: number | string;
  wasmtime: number | string;
}

/** What comparing one script found. */
export interface Comparison {
  /** How often each intended difference (intended.ts) was seen. */
  explained: Map<string, number>;
  /**
   * Differences no rule explains: bugs, or rules missing from the table. Comparing stops at the
   * first one after which the states may differ (one engine succeeded where the other failed).
   */
  unexplained: Difference[];
  /** Findings of the fuzz checks on either engine (canary, internal error, hang...). */
  findings: string[];
}

/**
 * A folder's entries: relative path -> type and content (or link target, with `root` shown as
 * `<root>` so two copies of the tree compare equal).
 */
export function describeTree(dir: string, root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string, prefix: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = prefix + name;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[rel] = `link ${readlinkSync(p).replaceAll(root, '<root>')}`;
      else if (st.isDirectory()) {
        out[rel] = 'dir';
        visit(p, `${rel}/`);
      } else out[rel] = st.size > 1 << 20 ? `file of ${st.size} bytes` : `file ${readFileSync(p).toString('base64')}`;
    }
  };
  visit(dir, '');
  return out;
}

/** Runs script `seed` on both engines and compares them. */
export async function compareScript(seed: number, calls: number, wasmtime: WasmtimeRunner): Promise<Comparison> {
  const a = makeFuzzTree();
  const b = makeFuzzTree(a.canary);
  const scratch = mkdtempSync(join(tmpdir(), 'terrarium-diff-'));
  try {
    const script = generateScript(seed, { calls, canary: a.canary, hostPaths: a.hostPaths, stdio: false, exit: false, strict: true });
    const t = await runOnTerrarium(script, a, 30_000);
    const scriptPath = join(scratch, 'script');
    writeFileSync(scriptPath, script.bytes);
    const job = { wasm: fixtureWasm('fuzz_interp.wasm'), script: scriptPath, rw: b.rw, ro: b.ro, stdout: join(scratch, 'out'), stderr: join(scratch, 'err') };
    const w = await wasmtime.run(job);
    const wOut = readFileSync(job.stdout);
    const findings = [...t.findings, ...checkResults(script, b.canary, wOut, readFileSync(job.stderr)).findings.map((f) => `wasmtime: ${f}`)];
    const wr = parseResults(wOut);
    const diff = (call: number, fn: string, tv: number | string, wv: number | string): Difference => ({ scriptSeed: seed, call, fn, terrarium: tv, wasmtime: wv });
    const c: Comparison = { explained: new Map(), unexplained: [], findings };
    const tc = t.results?.calls ?? [];
    const wc = wr?.calls ?? [];
    for (let i = 0; i < Math.min(tc.length, wc.length); i++) {
      const [te, we] = [tc[i]!.errno, wc[i]!.errno];
      if (te === we) continue;
      const d = diff(i, FUNCTIONS[tc[i]!.fn]!.name, te, we);
      const rule = explain(d);
      if (rule) c.explained.set(rule.id, (c.explained.get(rule.id) ?? 0) + 1);
      else c.unexplained.push(d);
      if (rule ? !rule.sameState : te === 0 || we === 0) return c;
    }
    if ('trap' in w) {
      c.unexplained.push(diff(wc.length, 'run', 'exit', `trap: ${w.trap}`));
      return c;
    }
    const ta = describeTree(a.rw, a.root);
    const tb = describeTree(b.rw, b.root);
    for (const k of new Set([...Object.keys(ta), ...Object.keys(tb)])) {
      if (ta[k] !== tb[k]) c.unexplained.push(diff(tc.length, `tree ${k}`, ta[k] ?? 'missing', tb[k] ?? 'missing'));
    }
    return c;
  } finally {
    a.remove();
    b.remove();
    rmSync(scratch, { recursive: true, force: true });
  }
}
