/**
 * The WASI 0.2 host (issue 15.2), forced for components the fast path would run
 * (TERRARIUM_COMPONENT_HOST=wasi-0.2): the conformance programs wrapped by the preview1 adapter give
 * the preview1 output except where the adapter itself translates differently (listed below, each
 * with its reason: wasmtime runs these components with the same differences), and leave the same
 * files behind; the sandbox programs' escapes are refused (not-permitted → PERM, as in preview1) and
 * a read-only grant is never changed (read-only → ROFS, 0.2's word for preview1's NOTCAPABLE).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../helpers/temp.ts';
import { type Box, HostSnapshot, failLines, makeBox, outsideSpec, readOnlyBox, runCli as runBattery, writeTree } from '../../helpers/sandbox-box.ts';
import { bothRuns, component, noSetup, outcome } from './compare.ts';
import { runCli } from '../../helpers/cli.ts';
import { fixture } from '../../helpers/paths.ts';

const FULL = { TERRARIUM_COMPONENT_HOST: 'wasi-0.2' };

let box: Box | undefined;
afterEach(() => {
  removeTempDirs();
  box?.remove();
  box = undefined;
});

describe('adapter-built components on the WASI 0.2 host', () => {
  it('args_env: arguments and environment exactly as preview1', async () => {
    const setup = () => ({ opts: ['--env', 'FOO=bar', '--env', 'UNI=ünï ✓'], dirs: [] });
    const r = await bothRuns('args_env', setup, ['one', 'two words'], undefined, FULL);
    expect(r.wrapped).toEqual(r.plain);
    expect(r.wrapped.stdout).toMatch(/argv\[2\]=two words\n[^]*ok 17 checks\n$/);
    // An empty argument arrives (argv[3]=) but the adapter packs the argv buffer differently.
    const empty = await bothRuns('args_env', setup, ['one', ''], undefined, FULL);
    expect(empty.wrapped.stdout).toBe(empty.plain.stdout.replace('ok 17 checks', 'FAILED 1 of 17 checks'));
    expect(empty.wrapped.stderr).toBe('FAIL args_env.c:40: packed_ok(av, n, abuf, size)\n');
  });

  it('stdio: stdin to stdout through the rings; a gathered write is written one piece at a time by the adapter', async () => {
    const echo = await bothRuns('stdio', noSetup, ['echo'], 'line one\nline two\n', FULL);
    expect(echo.wrapped).toEqual(echo.plain);
    const pattern = await bothRuns('stdio', noSetup, ['pattern'], undefined, FULL);
    // The adapter's fd_write writes the first non-empty iovec only (a short write, allowed by preview1).
    expect(pattern.wrapped.stderr).toBe(pattern.plain.stderr.replace(/^/, 'FAIL stdio.c:73: n == 256\n'));
  });

  it('proc: an exit code other than 0 reaches the host as 1 (the adapter calls exit(err))', async () => {
    const r = await bothRuns('proc', noSetup, ['exit', '0'], undefined, FULL);
    expect(r.wrapped).toEqual(r.plain);
    const seven = await bothRuns('proc', noSetup, ['exit', '7'], undefined, FULL);
    expect([seven.plain.code, seven.wrapped.code]).toEqual([7, 1]);
  });

  it('proc_code: a component that exits through wasi:cli/exit.exit-with-code ends with its own exit code, output flushed', async () => {
    // proc.c again, its every proc_exit sent to exit-with-code (components/exit_code.c): 0.2's
    // way to say a code other than 0 or 1, which the preview1 adapter cannot.
    for (const args of [['exit', '7'], ['exit', '0'], ['main', '3'], ['flush', '42'], ['exit', '255']]) {
      const plain = outcome(await runCli(['run', fixture('proc'), '--', ...args]));
      const wrapped = outcome(await runCli(['run', component('proc_code'), '--', ...args], { env: FULL }));
      expect({ args, ...wrapped }).toEqual({ args, ...plain });
      expect(wrapped.code).toBe(Number(args[1]));
    }
    // Its core module imports more than preview1: it takes the 0.2 host unforced, code and all.
    expect((await runCli(['run', component('proc_code'), '--', 'exit', '9'])).code).toBe(9);
  });

  it('clock_random: clocks, and randomness up to 4 MiB in one call with no trap; the adapter has no CPU-time clocks', async () => {
    const r = await bothRuns('clock_random', noSetup, [String(Date.now())], undefined, FULL);
    expect(r.plain).toEqual({ code: 0, stdout: 'ok 38 checks\n', stderr: '' });
    // The adapter answers BADF for the CPU-time clocks and for ids it does not know (so does
    // wasmtime); everything else (wall and monotonic clocks, random_get of 0 B to 4 MiB) passes.
    expect(r.wrapped.stdout).toBe('FAILED 13 of 38 checks\n');
    const lines = failLines(r.wrapped.stderr);
    expect(lines.filter((l) => !/^FAIL clock_random\.c:(3[1245]|39|4[012]|71): /.test(l))).toEqual([]);
    expect(lines.filter((l) => l.includes('returned BADF (8)'))).toHaveLength(8);
    expect(r.wrapped.code).toBe(1);
  });

  it('fd_readdir: the same listing, cookies and files; 0.2 has no rights to check', async () => {
    const r = await bothRuns('fd_readdir', () => {
      const d = tempDir('readdir');
      return { opts: ['--dir', `${d}::/sandbox`], dirs: [d] };
    }, [], undefined, FULL);
    expect(r.plain).toEqual({ code: 0, stdout: 'ok 55 checks\n', stderr: '' });
    expect(r.wrapped.stdout).toBe('FAILED 2 of 55 checks\n');
    expect(failLines(r.wrapped.stderr)).toEqual([
      // Reading a file's entries: 0.2's read-directory says not-directory.
      'FAIL fd_readdir.c:218: __wasi_fd_readdir(f, buf, sizeof buf, 0, &used) returned NOTDIR (54), expected BADF (8)',
      // A descriptor opened without FD_READDIR: 0.2 descriptors carry no rights.
      'FAIL fd_readdir.c:224: __wasi_fd_readdir(noright, buf, sizeof buf, 0, &used) returned SUCCESS (0), expected NOTCAPABLE (76)',
    ]);
    expect(r.wrappedTrees).toEqual(r.plainTrees);
  });

  it('path_ops: the same files, links, times and errors but three the adapter and jco cannot express', async () => {
    const r = await bothRuns('path_ops', () => {
      const d = tempDir('path');
      const o = tempDir('path-other');
      return { opts: ['--dir', `${d}::/sandbox`, '--dir', `${o}::/other`], dirs: [d, o] };
    }, [], undefined, FULL);
    expect(r.plain).toEqual({ code: 0, stdout: 'ok 270 checks\n', stderr: '' });
    expect(r.wrapped.stdout).toBe('FAILED 3 of 270 checks\n');
    expect(failLines(r.wrapped.stderr)).toEqual([
      // Names that are not UTF-8: jco's bindings decode them with U+FFFD instead of trapping.
      'FAIL path_ops.c:103: raw_path_create_directory(SANDBOX, PTR("\\xff\\xfe"), 2) returned SUCCESS (0), expected ILSEQ (25)',
      // Unknown fstflags bits: the adapter drops them before the host sees them.
      'FAIL path_ops.c:154: __wasi_path_filestat_set_times(SANDBOX, 0, "stamp.txt", 0, 0, 0x10) returned SUCCESS (0), expected INVAL (28)',
      'FAIL path_ops.c:304: raw_path_open(SANDBOX, 0, PTR("p\\xff.txt"), 6, __WASI_OFLAGS_CREAT, FILE_RW, 0, 0, PTR(&rfd)) returned SUCCESS (0), expected ILSEQ (25)',
    ]);
    const lossy = ['d \ufffd\ufffd', 'f p\ufffd.txt ""'];
    expect(r.wrappedTrees[0]!.filter((e) => !lossy.includes(e.replace(/[\u00ef\u00bf\u00bd]+/g, (m) => Buffer.from(m, 'latin1').toString('utf8'))))).toEqual(r.plainTrees[0]);
    expect(r.wrappedTrees[1]).toEqual(r.plainTrees[1]);
  });
});

describe('the sandbox on the WASI 0.2 host', () => {
  const pathCases = ['absolute', 'dotdot-root', 'transient', 'dot-dotdot', 'many-dotdot', 'trailing-slash', 'long-escape', 'nul', 'dirfd-base'];
  it.each(pathCases)('sandbox_paths %s: refused exactly as in preview1, nothing outside touched', async (c) => {
    const b = makeBox(outsideSpec);
    box = b;
    const grant = b.dir('grant');
    writeTree(grant, { 'inside.txt': 'inside', 'a/inner.txt': 'inner', 'a/b': { dir: true } });
    const snap = HostSnapshot.take(b.root, { skip: [grant] });
    const r = await runBattery(['--dir', `${grant}::/sandbox`, component('sandbox_paths'), '--', c, b.outside], 30_000, FULL);
    expect(failLines(r.stdout), r.stdout + r.stderr).toEqual([]);
    expect(r.stdout).toMatch(/^done \d+ checks, 0 failed$/m);
    expect(r.code).toBe(0);
    expect(snap.diff()).toEqual([]);
  });

  const readOnlyCases = ['create', 'trunc', 'write-fd', 'allocate', 'set-size', 'set-times', 'mkdir', 'unlink', 'rmdir', 'rename-from', 'rename-into', 'link-out', 'link-in', 'symlink', 'subdir', 'raise-rights'];
  /** What 0.2 says instead of preview1: read-only for NOTCAPABLE, and no rights to narrow or widen. */
  const ZERO_TWO = [/expected NOTCAPABLE, got ROFS$/, /expected NOTCAPABLE, got NOTSUP$/, /^FAIL (open with the grant's inheriting rights|open \/ro\/dir asking for every right): expected SUCCESS, got ROFS$/];
  it.each(readOnlyCases)('sandbox_readonly %s: a read-only grant is never changed', async (c) => {
    const { b, ro, rw, snap } = readOnlyBox();
    box = b;
    const r = await runBattery(['--dir', `${ro}::/ro:ro`, '--dir', `${rw}::/rw`, component('sandbox_readonly'), '--', c], 30_000, FULL);
    expect(r.stdout).toContain(`case ${c}\n`);
    expect(failLines(r.stdout).filter((l) => !ZERO_TWO.some((re) => re.test(l))), r.stdout + r.stderr).toEqual([]);
    expect(snap.diff()).toEqual([]);
  });
});
