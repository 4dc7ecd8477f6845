/**
 * The resolver's table (DESIGN §3.1): paths over a tree of folders, files and symlinks (inside,
 * absolute, climbing out, loops, chains, dangling), with what a walk must answer for each, with
 * and without follow. Used by test/runtime/path-resolve.test.ts (resolve() in every mode) and
 * test/runtime/host-calls/plain-stat.test.ts (path_filestat_get's walk in wasm against the resolver's).
 */
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Errno } from '../../main/runtime/abi.ts';

export type ErrnoName = keyof typeof Errno;
export type Outcome = { dir: string; name: string; mustBeDir: boolean } | { errno: ErrnoName; node?: string };
export type Row = [path: string, follow: Outcome, nofollow: Outcome];

const at = (dir: string, name: string, mustBeDir = false): Outcome => ({ dir, name, mustBeDir });
const fail = (errno: ErrnoName): Outcome => ({ errno });
/** A Node exception with this `.code` (it reaches the guest through the one errno table). */
const nodeFail = (code: string, errno: ErrnoName): Outcome => ({ errno, node: code });
const both = (path: string, o: Outcome): Row => [path, o, o];

export const table: Row[] = [
  both('', fail('noent')),
  both('.', at('', '.', true)),
  both('./', at('', '.', true)),
  both('a', at('', 'a')),
  both('a/', at('', 'a', true)),
  both('a/./b', at('a', 'b')),
  both('a//b', at('a', 'b')),
  both('a/../b', at('', 'b')),
  both('a/..', at('', '.', true)),
  both('a/../a/../b', at('', 'b')),
  both('..', fail('perm')),
  both('./..', fail('perm')),
  both('a/../..', fail('perm')),
  both('a/../../a', fail('perm')), // not even temporarily above the root
  both('/abs', fail('perm')),
  both('//x', fail('perm')),
  both('/', fail('perm')),
  both('...', at('', '...')),
  both('b/', at('', 'b', true)), // trailing slash on a file: the probe is told it must be a folder
  both('a/b/', at('a', 'b', true)),
  both('b/x', fail('notdir')),
  both('a/b/..', fail('notdir')),
  both('missing', at('', 'missing')),
  both('missing/x', nodeFail('ENOENT', 'noent')),
  both('with space/file name', at('with space', 'file name')),
  both('naïve/日本語 😀', at('naïve', '日本語 😀')),
  ['link_in', at('', 'a'), at('', 'link_in')],
  both('link_in/', at('', 'a', true)),
  both('link_in/x', at('a', 'x')),
  both('link_in/../b', at('', 'b')), // the link is expanded before ".." applies
  ['link_slash', at('', 'a', true), at('', 'link_slash')], // target "a/" makes the final a folder
  both('link_file/', at('', 'b', true)),
  both('link_file/x', fail('notdir')),
  ['a/up', at('', '.', true), at('a', 'up')],
  both('a/up/b', at('', 'b')),
  both('link_in/up/b', at('', 'b')),
  ['a/sib', at('', 'b'), at('a', 'sib')],
  ['link_abs', fail('perm'), at('', 'link_abs')],
  both('link_abs/x', fail('perm')),
  ['link_up', fail('perm'), at('', 'link_up')],
  both('link_up/x', fail('perm')),
  ['a/climb', fail('perm'), at('a', 'climb')],
  both('a/climb/x', fail('perm')),
  ['loop', fail('loop'), at('', 'loop')],
  both('loop/x', fail('loop')),
  ['self', fail('loop'), at('', 'self')],
  ['chain40', at('', 'b'), at('', 'chain40')],
  ['chain41', fail('loop'), at('', 'chain41')],
  both('chain41/x', fail('loop')),
  ['dangling', at('', 'nonexistent'), at('', 'dangling')],
  both('dangling/x', nodeFail('ENOENT', 'noent')),
];

/** Links `name`, `name_2` … `name_n` each to the next; the last to `final`. */
function chain(root: string, name: string, n: number, final: string): void {
  const names = [name, ...Array.from({ length: n - 1 }, (_, i) => `${name}_${i + 2}`)];
  names.forEach((l, i) => fs.symlinkSync(names[i + 1] ?? final, join(root, l)));
}

export function makeTree(): string {
  const root = fs.mkdtempSync(join(os.tmpdir(), 'terrarium-resolve-'));
  fs.mkdirSync(join(root, 'a'));
  fs.writeFileSync(join(root, 'a', 'b'), 'a/b');
  fs.writeFileSync(join(root, 'b'), 'b');
  fs.mkdirSync(join(root, 'with space'));
  fs.mkdirSync(join(root, 'naïve'));
  fs.symlinkSync('a', join(root, 'link_in'));
  fs.symlinkSync('a/', join(root, 'link_slash'));
  fs.symlinkSync('b', join(root, 'link_file'));
  fs.symlinkSync('..', join(root, 'a', 'up'));
  fs.symlinkSync('../b', join(root, 'a', 'sib'));
  fs.symlinkSync(os.tmpdir(), join(root, 'link_abs'));
  fs.symlinkSync('../..', join(root, 'link_up'));
  fs.symlinkSync('../../outside', join(root, 'a', 'climb'));
  fs.symlinkSync('loop2', join(root, 'loop'));
  fs.symlinkSync('loop', join(root, 'loop2'));
  fs.symlinkSync('self', join(root, 'self'));
  chain(root, 'chain40', 40, 'b');
  chain(root, 'chain41', 41, 'b');
  fs.symlinkSync('nonexistent', join(root, 'dangling'));
  return root;
}

