/**
 * The sandbox battery (DESIGN §3.1, §9): one test per known escape technique. Each runs a
 * test/fixtures/sandbox_*.wasm case that asserts the exact errno of every call from inside the
 * guest, and then asserts from the host that nothing outside the grant was read, written,
 * created, removed or linked to (HostSnapshot), and that the grant holds exactly what it should.
 */
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  type Box,
  failLines,
  fixtureWasm,
  hardLinksTo,
  HostSnapshot,
  makeBox,
  readOnlyBox,
  outsideSpec,
  resolverModes,
  type RunResult,
  runCli,
  type TreeSpec,
  writeTree,
} from '../helpers/sandbox-box.ts';

let box: Box | undefined;
afterEach(() => {
  box?.remove();
  box = undefined;
});

/** Every path under dir, relative, sorted (symlinks not followed). */
function listTree(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string, prefix: string): void => {
    for (const name of readdirSync(d)) {
      const rel = prefix + name;
      out.push(rel);
      if (lstatSync(join(d, name)).isDirectory()) visit(join(d, name), `${rel}/`);
    }
  };
  visit(dir, '');
  return out.sort();
}

function expectAllChecksPassed(r: RunResult, caseName: string): void {
  expect(failLines(r.stdout), r.stdout + r.stderr).toEqual([]);
  expect(r.stdout).toContain(`case ${caseName}\n`);
  expect(r.stdout).toMatch(/^done \d+ checks, 0 failed$/m);
  expect(r.code, r.stderr).toBe(0);
}

interface Ran {
  box: Box;
  grant: string;
  result: RunResult;
  grantBefore: string[];
}

/**
 * Runs one case with a single read-write grant (box/grant as /sandbox), checking the
 * generic host-side guarantees: nothing outside changed and no hard link to an outside file.
 */
async function runGranted(
  env: Record<string, string>,
  program: string,
  caseName: string,
  grantSpec: (b: Box) => TreeSpec,
  args: (b: Box) => string[],
): Promise<Ran> {
  const b = makeBox(outsideSpec);
  box = b;
  const grant = b.dir('grant');
  writeTree(grant, grantSpec(b));
  const grantBefore = listTree(grant);
  const snap = HostSnapshot.take(b.root, { skip: [grant] });
  const result = await runCli([
    '--dir',
    `${grant}::/sandbox`,
    fixtureWasm(program),
    '--',
    caseName,
    ...args(b),
  ], 30_000, env);
  expectAllChecksPassed(result, caseName);
  expect(snap.diff()).toEqual([]);
  expect(hardLinksTo(grant, snap.fileInodes())).toEqual([]);
  return { box: b, grant, result, grantBefore };
}

describe.each(resolverModes)('%s', (_mode, env) => {
  describe('lexical escapes (sandbox_paths)', () => {
    const grantSpec = (): TreeSpec => ({
      'inside.txt': 'inside',
      'a/inner.txt': 'inner',
      'a/b': { dir: true },
    });
    const run = (c: string) =>
      runGranted(env, 'sandbox_paths.wasm', c, grantSpec, (b) => [b.outside]);
    const unchangedGrant = async (c: string) => {
      const r = await run(c);
      expect(listTree(r.grant)).toEqual(r.grantBefore);
      expect(readFileSync(join(r.grant, 'inside.txt'), 'utf8')).toBe('inside');
    };

    test('an absolute path given to every path_* function is PERM', () => unchangedGrant('absolute'));
    test('".." at the root of the grant is PERM for every path_* function', () =>
      unchangedGrant('dotdot-root'));
    test('a transient climb such as a/../../outside/secret.txt is PERM', () =>
      unchangedGrant('transient'));
    test('"." mixed with ".." (a/./../..) is PERM', () => unchangedGrant('dot-dotdot'));
    test('many "../" in a row, even aimed at the real host path, is PERM', () =>
      unchangedGrant('many-dotdot'));
    test('trailing and doubled slashes do not help a climb', () => unchangedGrant('trailing-slash'));
    test('over-long names and paths (10,000 components, 1 MiB) get NAMETOOLONG, no crash', () =>
      unchangedGrant('long'));
    test('10,000 "../" components are refused cleanly', () => unchangedGrant('long-escape'));
    test('a NUL byte inside a path is INVAL and never truncates it', () => unchangedGrant('nul'));
    test('invalid UTF-8 (including an overlong "..") is ILSEQ', async () => {
      const r = await run('utf8');
      expect(listTree(r.grant)).toEqual([...r.grantBefore, 'café.txt'].sort());
    });
    test('a backslash is part of a name on Linux, not a separator', async () => {
      const r = await run('backslash');
      expect(listTree(r.grant)).toEqual([...r.grantBefore, '..\\escape.txt'].sort());
      expect(lstatSync(join(r.grant, '..\\escape.txt')).isFile()).toBe(true);
    });
    test('".." cannot climb above the directory fd a path starts from', () =>
      unchangedGrant('dirfd-base'));
  });

  describe('symlinks and hard links (sandbox_symlinks)', () => {
    const grantSpec = (b: Box): TreeSpec => ({
      'inside.txt': 'inside',
      'a/inner.txt': 'inner',
      'a/b/secret.txt': 'inside-b',
      'c/d/e/secret.txt': 'inside-e',
      'abs_file': { link: join(b.outside, 'secret.txt') },
      'abs_dir': { link: b.outside },
      'rel_file': { link: '../outside/secret.txt' },
      'rel_dir': { link: '../outside' },
      'back_in': { link: '../grant/inside.txt' },
      'in_link': { link: 'inside.txt' },
      'a/up': { link: '..' },
      'a/root': { link: '../..' },
      'c1': { link: 'a/c2' },
      'a/c2': { link: '../c3' },
      'c3': { link: 'a/c4' },
      'a/c4': { link: '../../outside/secret.txt' },
      'g1': { link: 'a/g2' },
      'a/g2': { link: '../inside.txt' },
      'loop1': { link: 'loop2' },
      'loop2': { link: 'loop1' },
      'self': { link: 'self' },
      'dangle_rel': { link: '../outside/new.txt' },
      'dangle_abs': { link: join(b.outside, 'new.txt') },
    });
    const run = (c: string) =>
      runGranted(env, 'sandbox_symlinks.wasm', c, grantSpec, (b) => [
        b.outside,
        String(lstatSync(join(b.outside, 'secret.txt')).ino),
        env.TERRARIUM_RESOLVER === 'portable' ? 'portable' : 'fd',
      ]);
    const unchangedGrant = async (c: string) => {
      const r = await run(c);
      expect(listTree(r.grant)).toEqual(r.grantBefore);
    };

    test('following a symlink to an absolute path or out of the grant is PERM (path_open)', () =>
      unchangedGrant('follow-open'));
    test('path_filestat_get follows no symlink out; without follow it sees the link itself', () =>
      unchangedGrant('filestat'));
    test('path_filestat_set_times through an escaping symlink is PERM', () =>
      unchangedGrant('set-times'));
    test('listing the grant and opening every symlink it shows never reaches outside', () =>
      unchangedGrant('readdir-open'));
    test('a symlink to outside used as an intermediate component is PERM everywhere', () =>
      unchangedGrant('intermediate'));
    test('a chain of relative symlinks that climbs out only at the end is PERM', () =>
      unchangedGrant('chain'));
    test('a symlink loop is LOOP', () => unchangedGrant('loop'));
    test('O_CREAT through a dangling symlink to outside creates nothing outside', () =>
      unchangedGrant('dangling-create'));
    test('trailing slashes on symlinks to outside are PERM', () =>
      unchangedGrant('trailing-slash-links'));

    test('path_symlink: absolute target PERM; "../../x" may be made but not followed', async () => {
      const r = await run('symlink-create');
      expect(listTree(r.grant)).toEqual(
        [...r.grantBefore, 'new_ok', 'new_rel', 'new_tr', 'new_up'].sort(),
      );
      expect(readlinkSync(join(r.grant, 'new_up'))).toBe('../../x');
      expect(readlinkSync(join(r.grant, 'new_rel'))).toBe('../outside/secret.txt');
    });

    test('a hard link of a symlink that points outside stays a refused symlink', async () => {
      const r = await run('hardlink');
      expect(listTree(r.grant)).toEqual(
        [...r.grantBefore, 'hard_abs', 'hard_ok', 'hard_rel'].sort(),
      );
      expect(lstatSync(join(r.grant, 'hard_abs')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(r.grant, 'hard_rel'))).toBe('../outside/secret.txt');
      expect(lstatSync(join(r.grant, 'hard_ok')).ino).toBe(lstatSync(join(r.grant, 'inside.txt')).ino);
    });

    test('renaming a directory under an open fd neither lets ".." climb nor redirects the fd', async () => {
      const r = await run('rename-dir');
      expect(readlinkSync(join(r.grant, 'a'))).toBe('../outside');
      expect(readFileSync(join(r.grant, 'moved/b/secret.txt'), 'utf8')).toBe('inside-b');
      expect(readFileSync(join(r.grant, 'e_top/secret.txt'), 'utf8')).toBe('inside-e');
      expect(readdirSync(join(r.grant, 'c/d'))).toEqual([]);
    });
  });

  describe('read-only grants (sandbox_readonly)', () => {
    const cases: [string, string][] = [
      ['create', 'creating a file (O_CREAT, also on an existing file) is NOTCAPABLE'],
      ['trunc', 'O_TRUNC is NOTCAPABLE'],
      ['write-fd', 'asking for fd_write is NOTCAPABLE, and fd_write/fd_pwrite on an opened fd too'],
      ['allocate', 'fd_allocate is NOTCAPABLE'],
      ['set-size', 'fd_filestat_set_size is NOTCAPABLE'],
      ['set-times', 'setting times by path or fd, even on the preopen, is NOTCAPABLE'],
      ['mkdir', 'path_create_directory is NOTCAPABLE'],
      ['unlink', 'path_unlink_file is NOTCAPABLE'],
      ['rmdir', 'path_remove_directory is NOTCAPABLE'],
      ['rename-from', 'renaming out of it (into a writable grant, or within) is NOTCAPABLE'],
      ['rename-into', 'renaming into it from a writable grant is NOTCAPABLE'],
      ['link-out', 'hard-linking out of it into a writable grant is NOTCAPABLE'],
      ['link-in', 'hard-linking into it is NOTCAPABLE'],
      ['symlink', 'path_symlink inside it is NOTCAPABLE'],
      ['subdir', 'a folder opened from it inherits no mutation right'],
      ['raise-rights', 'fd_fdstat_set_rights cannot add a right it lacks'],
    ];
    for (const [caseName, title] of cases) {
      test(title, async () => {
        // Both grants are in the snapshot: every case must leave all of them as they were.
        const { b, ro, rw, snap } = readOnlyBox();
        box = b;
        const result = await runCli([
          '--dir',
          `${ro}::/ro:ro`,
          '--dir',
          `${rw}::/rw`,
          fixtureWasm('sandbox_readonly.wasm'),
          '--',
          caseName,
        ], 30_000, env);
        expectAllChecksPassed(result, caseName);
        expect(snap.diff()).toEqual([]);
      });
    }
  });

  describe('rights only shrink (sandbox_rights)', () => {
    const grantSpec = (): TreeSpec => ({ 'f.txt': 'data', 'd/g.txt': 'gdata', 'd/sub': { dir: true } });
    const run = (c: string) => runGranted(env, 'sandbox_rights.wasm', c, grantSpec, () => []);

    test('fd_fdstat_set_rights drops a file right and cannot raise it again', async () => {
      const r = await run('drop-file');
      expect(readFileSync(join(r.grant, 'f.txt'), 'utf8')).toBe('DATA');
    });
    test('a directory right dropped from the preopen stays dropped', async () => {
      const r = await run('drop-dir');
      expect(listTree(r.grant)).toEqual(r.grantBefore);
    });
    test('a file opened from a folder with reduced inheriting rights gets no more', async () => {
      const r = await run('inherit');
      expect(readFileSync(join(r.grant, 'd/g.txt'), 'utf8')).toBe('gdata');
      expect(readFileSync(join(r.grant, 'f.txt'), 'utf8')).toBe('data');
    });
    test('dropping fd_write from stderr stops writes to it', async () => {
      const r = await run('stdio');
      expect(r.result.stderr).toBe('before\n');
    });
  });
});
