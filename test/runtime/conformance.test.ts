/**
 * WASI preview1 conformance, one syscall family per program (test/fixtures/*.c, built by
 * test/fixtures/build.sh). Each program checks exact errnos from inside the guest and ends with
 * "ok N checks"; these tests run it through the real CLI in a fresh temporary folder and then
 * check from the host what it left behind (bytes, links, times).
 */
import { closeSync, lstatSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliResult, RESOLVERS, runCli } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';
import { tree } from '../helpers/file-tree.ts';

afterEach(removeTempDirs);

/** The whole result, so a failure shows the guest's FAIL lines (stderr) in the diff. */
function outcome(r: CliResult): { code: number | null; stdout: string; stderr: string } {
  return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** Expects a clean pass: exit 0, exactly `stdout`, nothing on stderr. */
function expectPass(r: CliResult, stdout: string): void {
  expect(outcome(r)).toEqual({ code: 0, stdout, stderr: '' });
}

const ns = (p: string) => statSync(p, { bigint: true });
const lns = (p: string) => lstatSync(p, { bigint: true });

describe('args_env: args_get, args_sizes_get, environ_get, environ_sizes_get', () => {
  it('passes arguments and --env values through exactly, with the module name as argv[0]', async () => {
    const r = await runCli([
      'run', '--env', 'FOO=bar', '--env', 'EMPTY=', '--env', 'EQ=a=b=c', '--env', 'UNI=ünï ✓',
      fixture('args_env'), '--', 'one', 'two words', '', 'ünï', '--', '--dir', '-x',
    ]);
    expectPass(r, [
      'argc=8', 'argv[0]=args_env.wasm', 'argv[1]=one', 'argv[2]=two words', 'argv[3]=', 'argv[4]=ünï',
      'argv[5]=--', 'argv[6]=--dir', 'argv[7]=-x',
      'envc=4', 'env=FOO=bar', 'env=EMPTY=', 'env=EQ=a=b=c', 'env=UNI=ünï ✓',
      'ok 17 checks', '',
    ].join('\n'));
  });

  it('gives an empty environment and just argv[0] when nothing is passed', async () => {
    const r = await runCli(['run', fixture('args_env')], { env: { TERRARIUM_CONF_LEAK: 'x' } });
    expectPass(r, 'argc=1\nargv[0]=args_env.wasm\nenvc=0\nok 17 checks\n');
  });
});

describe('clock_random: clock_res_get, clock_time_get, random_get', () => {
  it('answers every clock, agrees with the host wall clock and fills random buffers', async () => {
    const r = await runCli(['run', fixture('clock_random'), '--', String(Date.now())]);
    expectPass(r, 'ok 38 checks\n');
  });
});

for (const [mode, env] of RESOLVERS) {
  describe(`fd_basic: the fd_* calls (${mode})`, () => {
    it('reads, writes, seeks, stats, sets sizes, times, flags and rights as specified', async () => {
      const rw = tempDir('fd');
      const ro = tempDir('fd-ro');
      writeFileSync(join(ro, 'ro.txt'), 'read only\n');
      const r = await runCli(['run', '--dir', `${rw}::/sandbox`, '--dir', `${ro}::/ro:ro`, fixture('fd_basic')], { env });
      expectPass(r, 'ok 221 checks\n');

      // Times first: reading a file may update its atime.
      expect(ns(join(rw, 'times.txt')).atimeNs).toBe(1600000000500000000n);
      expect(ns(join(rw, 'times.txt')).mtimeNs).toBe(1500000000250000000n);
      expect(ns(join(rw, 'now.txt')).atimeNs).toBe(1400000000000000000n);
      expect(ns(join(rw, 'now.txt')).mtimeNs).toBe(1500000000250000000n);
      const data = Buffer.concat([Buffer.from('HeXYZ world!'), Buffer.alloc(36), Buffer.from('A')]);
      expect(readFileSync(join(rw, 'data.bin'))).toEqual(data);
      expect(tree(rw)).toEqual([
        `f data.bin ${JSON.stringify(data.toString('latin1'))}`,
        'f now.txt ""',
        'f ren_a.txt "AAA"',
        'f ren_b.txt "BBB"',
        'f rights.txt "rights"',
        'f times.txt "t"',
      ]);
      expect(tree(ro)).toEqual(['f ro.txt "read only\\n"']);
    });
  });

  describe(`fd_readdir (${mode})`, () => {
    it('lists ".", "..", every entry once with its type and inode, and honours cookies', async () => {
      const dir = tempDir('readdir');
      const r = await runCli(['run', '--dir', `${dir}::/sandbox`, fixture('fd_readdir')], { env });
      expectPass(r, 'ok 55 checks\n');
      const many = Array.from({ length: 299 }, (_, i) => `f d/many/file.${String(i + 1).padStart(3, '0')} ""`);
      expect(tree(dir)).toEqual(
        ['d d', 'f d/a.txt ""', 'f d/Действие ""', 'd d/sub', 'l d/link -> a.txt', 'd d/many', 'f d/many/late.txt ""', ...many].sort(),
      );
    });
  });

  describe(`path_ops: the path_* calls (${mode})`, () => {
    it('creates, stats, links, opens, renames, symlinks and removes as specified, and leaves exactly this', async () => {
      const dir = tempDir('path');
      const other = tempDir('path-other');
      const r = await runCli(['run', '--dir', `${dir}::/sandbox`, '--dir', `${other}::/other`, fixture('path_ops')], { env });
      expectPass(r, 'ok 270 checks\n');

      // Times first: reading a file may update its atime.
      expect(ns(join(dir, 'stamp.txt')).atimeNs).toBe(1600000000500000000n);
      expect(ns(join(dir, 'stamp.txt')).mtimeNs).toBe(1500000000250000000n);
      expect(ns(join(dir, 'file.txt')).mtimeNs).toBe(1450000000000000000n); // set through the symlink
      expect(lns(join(dir, 'sl')).mtimeNs).toBe(1420000000000000000n); // the link itself
      expect(ns(join(dir, 'trail')).mtimeNs).toBe(1300000000000000000n);

      expect(tree(dir)).toEqual([
        'd dir', 'd dir/nested', 'd full', 'd rd_c', 'd rd_empty', 'd trail',
        'f created.txt "created\\n"', 'f excl.txt ""', 'f file.txt "0123456789"', 'f full/f "f"',
        'f hard.txt "linked!"', 'f po.txt "content+"', 'f renamed.txt "rename me"', 'f src.txt "linked!"',
        'f stamp.txt "stamp"', 'f sync.txt "synced"', 'f trunc.txt ""', 'f trunc2.txt ""', 'f victim.txt "new"',
        'l dangling -> nowhere', 'l hl_dangling -> nowhere', 'l loop -> loop', 'l sl -> file.txt',
        'l sl3 -> file.txt', 'l uni -> Действие',
      ].sort());
      expect(tree(other)).toEqual(['f moved.txt "moved"', 'f xlink.txt "linked!"']);

      // Hard links are real hard links, across the two grants too, and of a symlink itself.
      const src = lns(join(dir, 'src.txt'));
      expect(lns(join(dir, 'hard.txt')).ino).toBe(src.ino);
      expect(lns(join(other, 'xlink.txt')).ino).toBe(src.ino);
      expect(src.nlink).toBe(3n);
      expect(lns(join(dir, 'hl_dangling')).ino).toBe(lns(join(dir, 'dangling')).ino);
    });
  });
}

describe('poll: poll_oneoff', () => {
  it('sleeps at least as asked, reports ready files and stdio, and rejects bad subscriptions', async () => {
    const dir = tempDir('poll');
    const r = await runCli(['run', '--dir', `${dir}::/sandbox`, fixture('poll')], { input: 'ping\n' });
    expectPass(r, 'ok 43 checks\n');
  });
});

describe('proc: proc_exit, proc_raise, sched_yield', () => {
  it('answers proc_raise with NOSYS, yields, and keeps running', async () => {
    const r = await runCli(['run', fixture('proc'), '--', 'checks']);
    expectPass(r, 'still running\nok 6 checks\n');
  });

  it.each([0, 1, 7, 42, 113])('proc_exit(%i) from deep in the stack becomes the exit code', async (code) => {
    const r = await runCli(['run', fixture('proc'), '--', 'exit', String(code)]);
    expect(outcome(r)).toEqual({ code, stdout: `exiting ${code}\n`, stderr: '' });
  });

  it('flushes what libc buffered before exit()', async () => {
    const r = await runCli(['run', fixture('proc'), '--', 'flush', '3']);
    expect(outcome(r)).toEqual({ code: 3, stdout: 'bye', stderr: '' });
  });

  it("returns main's value as the exit code", async () => {
    const r = await runCli(['run', fixture('proc'), '--', 'main', '42']);
    expect(outcome(r)).toEqual({ code: 42, stdout: '', stderr: '' });
  });
});

describe('sock: sock_accept, sock_recv, sock_send, sock_shutdown', () => {
  it('answers NOTSOCK on every valid descriptor and BADF on unknown ones', async () => {
    const dir = tempDir('sock');
    const r = await runCli(['run', '--dir', `${dir}::/sandbox`, fixture('sock')]);
    expectPass(r, 'ok 32 checks\n');
    expect(tree(dir)).toEqual(['f plain.txt ""']);
  });
});

describe('stdio: descriptors 0-2', () => {
  it('reports pipes as unknown-type streams that cannot seek and go one way', async () => {
    const r = await runCli(['run', fixture('stdio'), '--', 'info']);
    expectPass(r, 'fd0 filetype=0 isatty=0\nfd1 filetype=0 isatty=0\nfd2 filetype=0 isatty=0\nok 19 checks\n');
  });

  it("reports the host fd's real type when stdout is a regular file", async () => {
    const dir = tempDir('stdio');
    const outPath = join(dir, 'out.txt');
    const fd = openSync(outPath, 'w');
    let r: CliResult;
    try {
      r = await runCli(['run', fixture('stdio'), '--', 'info'], { stdoutFd: fd });
    } finally {
      closeSync(fd);
    }
    expect(r.stderr.toString()).toBe('');
    expect(readFileSync(outPath, 'utf8')).toMatch(/^fd0 filetype=0 isatty=0\nfd1 filetype=4 isatty=0\nfd2 filetype=0 isatty=0\n/);
  });

  it('echoes stdin to stdout', async () => {
    const input = Buffer.from('line one\nline two\n\0\xff\xfe binary\n', 'latin1');
    const r = await runCli(['run', fixture('stdio'), '--', 'echo'], { input });
    expect(r.stdout).toEqual(input);
    expect(outcome(r).stderr).toBe('ok 3 checks\n');
    expect(r.code).toBe(0);
  });

  it('keeps stdout and stderr byte-exact and separate', async () => {
    const r = await runCli(['run', fixture('stdio'), '--', 'pattern']);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const expected = Buffer.concat([all, all.subarray(128), all.subarray(0, 128), Buffer.from([0, 10, 0xfe]), Buffer.from('ok 6 checks\n')]);
    expect(r.stdout).toEqual(expected);
    expect(r.stderr).toEqual(Buffer.from([0x45, 0, 0xff, 13, 10, 0x65, 0x6e, 0x64]));
    expect(r.code).toBe(0);
  });
});

describe('memory_fault: hostile pointers and lengths', () => {
  it('answers FAULT every time, never crashes, and writes nothing partial', async () => {
    const dir = tempDir('fault');
    const r = await runCli(['run', '--dir', `${dir}::/sandbox`, '--env', 'A=B', fixture('memory_fault')]);
    expectPass(r, 'ok 70 checks\n');
    expect(tree(dir)).toEqual(['f f.txt "x"', 'l link -> f.txt']);
  });
});

describe('trap: a guest that traps', () => {
  it.each(['unreachable', 'div0', 'oob', 'stack'])('%s: exit 134 with one clear line on stderr', async (mode) => {
    const r = await runCli(['run', fixture('trap'), '--', mode]);
    expect(r.code).toBe(134);
    expect(r.stdout.toString()).toBe('before trap\n');
    const err = r.stderr.toString();
    expect(err).toMatch(/^[^\n]*(trap|crash)[^\n]*\n$/i);
  });
});

describe('grow: memory.grow through malloc', () => {
  it('gets the memory it asks for when there is no cap', async () => {
    const r = await runCli(['run', fixture('grow'), '--', '16']);
    const out = outcome(r);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^got 16 MiB\nmemory \d+ pages\ngrow 4GiB failed\n$/);
    expect(Number(/memory (\d+) pages/.exec(out.stdout)?.[1])).toBeGreaterThanOrEqual(256);
  });
});
