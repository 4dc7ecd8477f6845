/**
 * Differential test against Wasmtime (the reference), on the same generated scripts: every
 * difference in errnos, in the run's end, or in the resulting read-write tree must be one the
 * README's table explains (test/fuzz/intended.ts). Installing the Wasmtime wheel is part of the
 * set-up; when it cannot be installed this test fails with the reason, it never skips.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { repoRoot } from '../helpers/sandbox-box.ts';
import { compareScript, type Difference } from './differential.ts';
import { INTENDED } from './intended.ts';
import { WasmtimeRunner, ensureWasmtime } from './wasmtime.ts';

let runner: WasmtimeRunner | undefined;
beforeAll(() => {
  ensureWasmtime(); // throws (failing every test here) when the wheel cannot be installed
  runner = new WasmtimeRunner();
}, 600_000);
afterAll(() => runner?.close());

test('Terrarium and Wasmtime differ only as the table says, on 40 scripts of 300 calls', async () => {
  const unexplained: Difference[] = [];
  const findings: string[] = [];
  const explained = new Map<string, number>();
  for (let seed = 1; seed <= 40; seed++) {
    const c = await compareScript(seed, 300, runner!);
    unexplained.push(...c.unexplained);
    findings.push(...c.findings.map((f) => `script ${seed}: ${f}`));
    for (const [id, n] of c.explained) explained.set(id, (explained.get(id) ?? 0) + n);
  }
  expect(findings).toEqual([]);
  expect(unexplained).toEqual([]);
  // The comparison really compared: the common intended differences were met.
  expect(explained.get('read-only-grant')).toBeGreaterThan(0);
}, 300_000);

test('the README lists every intended difference', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  for (const rule of INTENDED) expect(readme, rule.id).toContain(`| \`${rule.id}\` |`);
});
