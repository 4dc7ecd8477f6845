/**
 * Differential test against Wasmtime (the reference), on the same generated scripts: every
 * difference in errnos, in the run's end, or in the resulting read-write tree must be one the
 * README's table explains (test/fuzz/intended.ts). Installing the Wasmtime wheel is part of the
 * set-up; when it cannot be installed this test fails with the reason, it never skips.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { repoRoot } from '../helpers/sandbox-box.ts';
import { compareScript, type Difference } from './differential.ts';
import { INTENDED } from './intended.ts';
import { WasmtimeRunner, ensureWasmtime } from './wasmtime.ts';

let runner: WasmtimeRunner | undefined;
afterAll(() => runner?.close());

// Installing is a test of its own (not a set-up hook, whose failure would report the tests as
// skipped): without the wheel, this and the comparison fail with the reason.
test('the Wasmtime reference is installed (pip, into .cache/wasmtime-venv)', () => {
  expect(ensureWasmtime()).toContain('wasmtime-venv');
}, 600_000);

test('Terrarium and Wasmtime differ only as the table says, on 30 scripts of 300 calls', async () => {
  const unexplained: Difference[] = [];
  const findings: string[] = [];
  const explained = new Map<string, number>();
  runner = new WasmtimeRunner(); // installs first when needed; throws why it cannot
  for (let seed = 1; seed <= 30; seed++) {
    const c = await compareScript(seed, 300, runner!);
    unexplained.push(...c.unexplained);
    findings.push(...c.findings.map((f) => `script ${seed}: ${f}`));
    for (const [id, n] of c.explained) explained.set(id, (explained.get(id) ?? 0) + n);
  }
  expect(findings).toEqual([]);
  expect(unexplained).toEqual([]);
  // The comparison really compared: the common intended differences were met.
  expect(explained.get('read-only-grant')).toBeGreaterThan(0);
}, 900_000);

test('the README lists every intended difference', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  for (const rule of INTENDED) expect(readme, rule.id).toContain(`| \`${rule.id}\` |`);
});
