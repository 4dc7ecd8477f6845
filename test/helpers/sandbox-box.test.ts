/**
 * The sandbox battery's host-side witness must itself notice what an escape would do: a read,
 * a listing, a write, a creation, a removal, a hard link. Without this, an empty diff in the
 * battery would prove nothing.
 */
import {
  appendFileSync,
  linkSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import {
  atimeRecordsReads,
  type Box,
  hardLinksTo,
  HostSnapshot,
  makeBox,
  outsideSpec,
  writeTree,
} from './sandbox-box.ts';

let box: Box | undefined;
afterEach(() => {
  box?.remove();
  box = undefined;
});

function fresh(): { b: Box; grant: string; snap: HostSnapshot } {
  const b = makeBox(outsideSpec);
  box = b;
  const grant = b.dir('grant');
  writeTree(grant, { 'x.txt': 'x' });
  return { b, grant, snap: HostSnapshot.take(b.root, { skip: [grant] }) };
}

test('an untouched tree, and anything done inside the skipped grant, give an empty diff', () => {
  const { grant, snap } = fresh();
  writeFileSync(join(grant, 'new.txt'), 'fine');
  readFileSync(join(grant, 'x.txt'));
  expect(snap.diff()).toEqual([]);
});

test('a stat of an outside file is not a read', () => {
  const { b, snap } = fresh();
  statSync(join(b.outside, 'secret.txt'));
  expect(snap.diff()).toEqual([]);
});

test('reading an outside file or listing the outside folder shows (where atimes move)', () => {
  const { b, snap } = fresh();
  readFileSync(join(b.outside, 'secret.txt'));
  readdirSync(join(b.outside, 'b'));
  const expected = atimeRecordsReads()
    ? ['box/outside/b: read (atime moved)', 'box/outside/secret.txt: read (atime moved)']
    : [];
  expect(snap.diff()).toEqual(expected);
});

test('a write, a creation and a removal outside show', () => {
  const { b, snap } = fresh();
  appendFileSync(join(b.outside, 'secret.txt'), '!');
  writeFileSync(join(b.outside, 'new.txt'), '');
  unlinkSync(join(b.outside, 'b', 'secret.txt'));
  const d = snap.diff();
  expect(d).toContain('box/outside/secret.txt: content changed');
  expect(d).toContain('box/outside/secret.txt: modified (mtime moved)');
  expect(d).toContain('box/outside/new.txt: created');
  expect(d).toContain('box/outside/b/secret.txt: removed');
});

test('a hard link from the grant to an outside file shows on both sides', () => {
  const { b, grant, snap } = fresh();
  linkSync(join(b.outside, 'secret.txt'), join(grant, 'stolen'));
  expect(snap.diff()).toContain('box/outside/secret.txt: nlink changed');
  expect(hardLinksTo(grant, snap.fileInodes())).toEqual([join(grant, 'stolen')]);
});
