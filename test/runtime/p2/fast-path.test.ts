/**
 * The fast path (issue 15.3): a component built by the preview1 adapter runs its core module 0 on
 * the preview1 runtime. The project's conformance programs, wrapped as components
 * (test/fixtures/components/build.sh), must give byte-for-byte the output of the plain programs
 * under the same arguments and grants, and leave the same files behind.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../helpers/temp.ts';
import { fixture } from '../../helpers/paths.ts';
import { runCli } from '../../helpers/cli.ts';
import { type Outcome, type Setup, bothRuns, noSetup } from './compare.ts';

afterEach(removeTempDirs);

/** Runs `name` both ways and expects the same result and files; returns the component's result. */
async function same(name: string, setup: Setup, args: string[] = [], input?: string): Promise<Outcome> {
  const r = await bothRuns(name, setup, args, input);
  expect(r.wrapped).toEqual(r.plain);
  expect(r.wrappedTrees).toEqual(r.plainTrees);
  return r.wrapped;
}

const none = noSetup;

describe('adapter-built components on the fast path give the preview1 output', () => {
  it('args_env: arguments and environment', async () => {
    const r = await same('args_env', () => ({ opts: ['--env', 'FOO=bar', '--env', 'UNI=ünï ✓'], dirs: [] }), ['one', 'two words', '']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('argv[0]=args_env.wasm\n');
    expect(r.stdout).toMatch(/ok 17 checks\n$/);
  });

  it('clock_random: clocks and randomness', async () => {
    const r = await same('clock_random', none, [String(Date.now())]);
    expect(r).toEqual({ code: 0, stdout: 'ok 38 checks\n', stderr: '' });
  });

  it('stdio: echo and byte-exact separate streams', async () => {
    expect((await same('stdio', none, ['echo'], 'line one\nline two\n')).code).toBe(0);
    expect((await same('stdio', none, ['pattern'])).code).toBe(0);
  });

  it('proc: exit codes and main’s return value', async () => {
    expect((await same('proc', none, ['exit', '7'])).code).toBe(7);
    expect((await same('proc', none, ['main', '42'])).code).toBe(42);
  });

  it('fd_basic, fd_readdir and path_ops under read-write and read-only grants', async () => {
    const fd = await same('fd_basic', () => {
      const rw = tempDir('fd');
      const ro = tempDir('fd-ro');
      writeFileSync(join(ro, 'ro.txt'), 'read only\n');
      return { opts: ['--dir', `${rw}::/sandbox`, '--dir', `${ro}::/ro:ro`], dirs: [rw, ro] };
    });
    expect(fd).toEqual({ code: 0, stdout: 'ok 221 checks\n', stderr: '' });
    const rd = await same('fd_readdir', () => {
      const d = tempDir('readdir');
      return { opts: ['--dir', `${d}::/sandbox`], dirs: [d] };
    });
    expect(rd).toEqual({ code: 0, stdout: 'ok 55 checks\n', stderr: '' });
    const po = await same('path_ops', () => {
      const d = tempDir('path');
      const o = tempDir('path-other');
      return { opts: ['--dir', `${d}::/sandbox`, '--dir', `${o}::/other`], dirs: [d, o] };
    });
    expect(po).toEqual({ code: 0, stdout: 'ok 270 checks\n', stderr: '' });
  });
});

describe('components that are not commands', () => {
  it('a reactor is refused with one line saying what it is, and nothing runs', async () => {
    const r = await runCli(['run', fixture('components/reactor.component.wasm')]);
    expect(r.stdout.toString()).toBe('');
    expect(r.stderr.toString()).toBe('terrarium: this WebAssembly component exports nothing to run (a library or plug-in), not a wasi:cli/command\n');
    expect(r.code).not.toBe(0);
  });
});
