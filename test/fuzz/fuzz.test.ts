/**
 * The short seeded fuzz run of `npm test` (the long one is `npm run fuzz -- --calls 1000000`):
 * generated preview1 call sequences with hostile arguments against real runs, asserting that
 * no canary from outside the grants reaches the guest, nothing outside or in the read-only grant
 * changes, no host exception is logged, and no run hangs or crashes. Plus proof that the checks
 * can fail: a canary the guest may legitimately read is seen.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { runCampaign } from './campaign.ts';
import { FUNCTIONS } from './functions.ts';
import { OUT_SIZE, SCRATCH_SIZE, generateScript } from './generate.ts';
import { runOnTerrarium } from './run-terrarium.ts';
import { Kind, ScriptWriter } from './script-writer.ts';
import { type FuzzTree, makeFuzzTree } from './tree.ts';

/** One iovec {base, len}; the base is a scratch offset the interpreter relocates. */
function iovec(base: number, len: number): Uint8Array {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, base, true);
  v.setUint32(4, len, true);
  return new Uint8Array(v.buffer);
}

let tree: FuzzTree | undefined;
afterEach(() => {
  tree?.remove();
  tree = undefined;
});

test('a seeded run of 6,000 hostile calls finds nothing', async () => {
  const r = await runCampaign({ seed: 20261206, calls: 6000, callsPerScript: 2000, deadlineMs: 30_000 });
  expect(r.findings).toEqual([]);
  expect(r.calls).toBe(6000);
});

// A folder granted read-only inside the read-write grant (points 2 of issue 9: read-only wins by
// every route, also for a run started without pinned grants), and an ask folder where only reads
// are answered yes (point 3: an answer covers exactly its operation). Seed 5 found 97 changes to
// the nested read-only folder before the runtime added read-only preopens' identities itself.
test.each(['overlap', 'ask'] as const)('a seeded run of 20,000 hostile calls with the %s grant finds nothing', async (variant) => {
  const r = await runCampaign({ seed: 5, calls: 20_000, callsPerScript: 2000, deadlineMs: 30_000, variant });
  expect(r.findings).toEqual([]);
  expect(r.calls).toBe(20_000);
});

test('the generator calls all 46 preview1 functions', () => {
  const seen = new Set<number>();
  for (let seed = 0; seed < 20; seed++) {
    const bytes = generateScript(seed, { calls: 500, canary: 'c', hostPaths: [], stdio: true, exit: true }).bytes;
    // Walk the ops (format in fuzz_interp.c) and note every CALL's function.
    let pc = 8 + 1;
    while (pc < bytes.length) {
      const op = bytes[pc++]!;
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      if (op === 1 || op === 4) pc += 8 + view.getUint32(pc + 4, true);
      else if (op === 2) {
        seen.add(bytes[pc]!);
        pc += 2 + 9 * bytes[pc + 1]!;
      }
    }
  }
  expect([...seen].sort((a, b) => a - b)).toEqual(FUNCTIONS.map((_, i) => i));
});

test('the checks see the canary when a guest can reach it (inside a grant)', async () => {
  tree = makeFuzzTree();
  writeFileSync(join(tree.rw, 'f'), tree.canary);
  const w = new ScriptWriter(tree.canary)
    .write(0, new TextEncoder().encode('f'))
    .call('path_open', [[Kind.raw, 3n], [Kind.raw, 0n], [Kind.scratch, 0n], [Kind.raw, 1n], [Kind.raw, 0n], [Kind.raw, 2n], [Kind.raw, 0n], [Kind.raw, 0n], [Kind.fromEnd, 8n]])
    .write(64, iovec(SCRATCH_SIZE - OUT_SIZE, 64), true) // into the output area
    .call('fd_read', [[Kind.raw, 5n], [Kind.scratch, 64n], [Kind.raw, 1n], [Kind.fromEnd, 8n]])
    .end();
  const r = await runOnTerrarium({ bytes: w.bytesOut(), calls: 2, exitCode: 0 }, tree, 20_000);
  expect(r.results?.calls.map((c) => c.errno)).toEqual([0, 0]);
  expect(r.findings).toContain('call 1 (fd_read): canary in its output');
  expect(r.findings).toContain('canary in guest memory at the end');
});
