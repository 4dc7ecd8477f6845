/**
 * Overlapping grants (issue 9 point 2): the least access wins, checked during resolution. A
 * folder granted read-only inside a read-write grant cannot be changed through the outer grant
 * by any call (sandbox_overlap.wasm asserts the exact errno of each), nor renamed or removed
 * itself; a read-write grant inside a read-only one is read-only. Both resolvers.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  type Box, failLines, fixtureWasm, HostSnapshot, makeBox, outsideSpec, resolverModes, runCli, writeTree,
} from '../helpers/sandbox-box.ts';

let box: Box | undefined;
afterEach(() => {
  box?.remove();
  box = undefined;
});

const roSpec = { 'file.txt': 'readonly', 'sub/inner.txt': 'inner', 'empty': { dir: true } } as const;

function setUp(): { w: string; ro: string } {
  box = makeBox(outsideSpec);
  const w = box.dir('w');
  writeTree(w, { 'w.txt': 'writable', 'rwdir': { dir: true } });
  const ro = join(w, 'ro');
  writeTree(ro, { ...roSpec });
  return { w, ro };
}

describe.each(resolverModes)('overlapping grants (%s)', (_name, env) => {
  test('a read-only folder inside a read-write grant cannot be changed through it', async () => {
    const { w, ro } = setUp();
    const snap = HostSnapshot.take(box!.root, { skip: [join(w, 'ok.txt'), join(w, 'lnk')], readable: [ro] });
    const r = await runCli(['--dir', `${w}::/w`, '--dir', `${ro}::/ro:ro`, fixtureWasm('sandbox_overlap.wasm'), '--', 'outer'], 30_000, env);
    expect(failLines(r.stdout), r.stdout + r.stderr).toEqual([]);
    expect(r.stdout).toMatch(/^done \d+ checks, 0 failed$/m);
    expect(r.code, r.stderr).toBe(0);
    // Nothing changed anywhere but the one file the control created in /w.
    expect(snap.diff().filter((d) => !d.startsWith('box/w:'))).toEqual([]);
  });

  test('a read-write grant inside a read-only one is read-only', async () => {
    box = makeBox(outsideSpec);
    const ro = box.dir('ro');
    const inner = join(ro, 'inner');
    writeTree(inner, { 'file.txt': 'inner' });
    const snap = HostSnapshot.take(box.root, { readable: [ro] });
    const r = await runCli(['--dir', `${ro}::/ro:ro`, '--dir', `${inner}::/rw`, fixtureWasm('sandbox_overlap.wasm'), '--', 'rw_inside_ro'], 30_000, env);
    expect(failLines(r.stdout), r.stdout + r.stderr).toEqual([]);
    expect(r.stdout).toMatch(/^done \d+ checks, 0 failed$/m);
    expect(r.code, r.stderr).toBe(0);
    expect(snap.diff()).toEqual([]);
  });
});
