/**
 * Overlapping grants (issue 9 point 2): the least access wins, checked during resolution. A
 * folder granted read-only inside a read-write grant cannot be changed through the outer grant
 * by any call (sandbox_overlap.wasm asserts the exact errno of each), nor renamed or removed
 * itself; a read-write grant inside a read-only one is read-only. Both resolvers.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { GrantRecord } from '../../main/library/types.ts';
import { cli } from '../helpers/cli.ts';
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
  const w = join(realpathSync(box.box), 'w'); // resolved: ask mode's root refuses absolute links
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

describe.each(resolverModes)('overlapping grants of an installed app (%s)', (_name, env) => {
  let home: string;
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  test('a read-only grant inside a read-write one cannot be changed through ask mode\'s root either', async () => {
    const { w, ro } = setUp();
    home = mkdtempSync(join(tmpdir(), 'terrarium-home-'));
    const term = (args: string[]) => cli(home, args, { env });
    expect((await term(['install', fixtureWasm('sandbox_overlap.wasm')])).code).toBe(0);
    expect((await term(['grant', 'sandbox_overlap', '--dir', `${w}::/w`, '--dir', `${ro}::/ro:ro`])).code).toBe(0);
    const snap = HostSnapshot.take(box!.root, { readable: [ro] });
    const r = await term(['run', 'sandbox_overlap', '--', 'askroot', ro.slice(1)]);
    expect(failLines(r.stdout), r.stdout + r.stderr).toEqual([]);
    expect(r.stdout).toMatch(/^done 18 checks, 0 failed$/m);
    expect(r.code, r.stderr).toBe(0);
    expect(snap.diff()).toEqual([]);
  });

  test('a read-write grant inside a read-only one runs read-only', async () => {
    box = makeBox(outsideSpec);
    const ro = join(realpathSync(box.box), 'ro');
    const inner = join(ro, 'inner');
    writeTree(inner, { 'file.txt': 'inner' });
    home = mkdtempSync(join(tmpdir(), 'terrarium-home-'));
    expect((await cli(home, ['install', fixtureWasm('sandbox_overlap.wasm')])).code).toBe(0);
    expect((await cli(home, ['grant', 'sandbox_overlap', '--dir', `${ro}::/ro:ro`, '--dir', `${inner}::/rw`])).code).toBe(0);
    const snap = HostSnapshot.take(box.root, { readable: [ro] });
    const r = await cli(home, ['run', 'sandbox_overlap', '--', 'rw_inside_ro'], { env });
    expect(failLines(r.stdout), r.stdout + r.stderr).toEqual([]);
    expect(r.stdout).toMatch(/^done \d+ checks, 0 failed$/m);
    expect(r.code, r.stderr).toBe(0);
    expect(snap.diff()).toEqual([]);
  });

  test('`terrarium grants` shows the overlap, both ways', async () => {
    const { w, ro } = setUp();
    home = mkdtempSync(join(tmpdir(), 'terrarium-home-'));
    const inner = join(ro, 'sub');
    expect((await cli(home, ['install', fixtureWasm('sandbox_overlap.wasm')])).code).toBe(0);
    expect((await cli(home, ['grant', 'sandbox_overlap', '--dir', `${w}::/w`, '--dir', `${ro}::/ro:ro`, '--dir', `${inner}::/sub`])).code).toBe(0);
    const gs = JSON.parse((await cli(home, ['grants', 'sandbox_overlap', '--json'], { env })).stdout) as GrantRecord[];
    expect(gs.map((g) => (g.kind === 'folder' ? g.overlap ?? null : null))).toEqual([
      { kind: 'contains-read-only', folder: ro, note: `read-only wins: contains read-only folder ${ro}` },
      null,
      { kind: 'inside-read-only', folder: ro, note: `read-only wins: inside read-only folder ${ro}` },
    ]);
    const human = (await cli(home, ['grants', 'sandbox_overlap'], { env })).stdout;
    expect(human).toContain(`read-only wins: contains read-only folder ${ro}`);
    expect(human).toContain(`read-only wins: inside read-only folder ${ro}`);
  });
});
