/**
 * `terrarium run` as a command: exit codes (124 timeout, 125 cannot load, 134 trap, 2 usage),
 * --memory-max, --env forwarding, argument passing, and byte-exact stdin/stdout/stderr.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

afterEach(removeTempDirs);

const text = (b: Buffer) => b.toString('utf8');

/** A hand-assembled core module: magic, version 1, then the given sections. */
function wasmModule(...sections: number[][]): Uint8Array<ArrayBuffer> {
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
}
const TYPE_VOID = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00]; // type 0: () -> ()
const FUNC_0 = [0x03, 0x02, 0x01, 0x00]; // one function of type 0
const exportStart = (index: number) => [0x07, 0x0a, 0x01, 0x06, ...Buffer.from('_start'), 0x00, index];
/** Exports function 0 as _start and memory 0 as memory, as a WASI command must. */
const EXPORT_START_MEMORY = [0x07, 0x13, 0x02, 0x06, ...Buffer.from('_start'), 0x00, 0x00, 0x06, ...Buffer.from('memory'), 0x02, 0x00];
const CODE_EMPTY = [0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b]; // body: no locals, end
/** Memory section with a minimum of `pages` (< 16384) and no maximum. */
const memory = (pages: number) => [0x05, 0x04, 0x01, 0x00, 0x80 | (pages & 0x7f), pages >> 7];

/** A module that exports a _start doing nothing, with `pages` of initial memory. */
const startModule = (pages: number) => wasmModule(TYPE_VOID, FUNC_0, memory(pages), EXPORT_START_MEMORY, CODE_EMPTY);

function writeModule(name: string, bytes: Uint8Array): string {
  const p = join(tempDir('cli'), name);
  writeFileSync(p, bytes);
  return p;
}

/** Expects a refusal with exit code `code`: nothing on stdout, one "terrarium: ..." line first on stderr. */
function expectRefused(r: CliResult, code: number): void {
  expect({ code: r.code, stdout: text(r.stdout) }).toEqual({ code, stdout: '' });
  expect(text(r.stderr)).toMatch(/^terrarium: \S[^\n]*\n/);
}

describe('exit code 124: --timeout', () => {
  it.each([
    ['busy', 'a loop that never calls the host'],
    ['sleep', 'a guest asleep in poll_oneoff'],
    ['read', 'a guest blocked reading stdin that never ends'],
  ])('stops %s (%s) after the limit', async (mode) => {
    const r = await runCli(['run', '--timeout', '1', fixture('spin'), '--', mode], { input: 'open', killAfterMs: 20_000 });
    expect(r.code).toBe(124);
    expect(text(r.stdout)).toBe(`spinning ${mode}\n`);
    expect(text(r.stderr)).toMatch(/^terrarium: [^\n]*\n$/);
    expect(r.ms).toBeGreaterThanOrEqual(1000);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('accepts a fractional limit', async () => {
    const r = await runCli(['run', '--timeout', '0.5', fixture('spin'), '--', 'busy'], { killAfterMs: 20_000 });
    expect(r.code).toBe(124);
    expect(r.ms).toBeLessThan(8_000);
  });

  it('ends the run as soon as the guest exits, even while stdin stays open', async () => {
    const r = await runCli(['run', fixture('proc'), '--', 'exit', '3'], { input: 'open', killAfterMs: 20_000 });
    expect({ code: r.code, stdout: text(r.stdout) }).toEqual({ code: 3, stdout: 'exiting 3\n' });
    expect(r.ms).toBeLessThan(10_000);
  });

  it('does not fire for a program that ends in time', async () => {
    const r = await runCli(['run', '--timeout', '30', fixture('proc'), '--', 'exit', '5']);
    expect({ code: r.code, stdout: text(r.stdout), stderr: text(r.stderr) }).toEqual({ code: 5, stdout: 'exiting 5\n', stderr: '' });
  });
});

describe('exit code 125: the module cannot be loaded', () => {
  it('a missing file', async () => {
    expectRefused(await runCli(['run', join(tempDir('cli'), 'missing.wasm')]), 125);
  });

  it('bytes that are not WebAssembly', async () => {
    expectRefused(await runCli(['run', writeModule('text.wasm', Buffer.from('#!/bin/sh\necho hello\n'))]), 125);
  });

  it('an empty file', async () => {
    expectRefused(await runCli(['run', writeModule('empty.wasm', Buffer.alloc(0))]), 125);
  });

  it('a truncated module', async () => {
    const whole = readFileSync(fixture('args_env'));
    expectRefused(await runCli(['run', writeModule('cut.wasm', whole.subarray(0, 100))]), 125);
    expectRefused(await runCli(['run', writeModule('cut2.wasm', whole.subarray(0, whole.length - 1))]), 125);
  });

  it('a module without _start (a hand-assembled empty module)', async () => {
    const bytes = wasmModule();
    expect(WebAssembly.validate(bytes)).toBe(true);
    expectRefused(await runCli(['run', writeModule('nostart.wasm', bytes)]), 125);
  });

  it('a component (layer-1 header)', async () => {
    const bytes = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
    expectRefused(await runCli(['run', writeModule('component.wasm', bytes)]), 125);
  });

  it('a module importing something that is not WASI', async () => {
    const imports = [0x02, 0x0b, 0x01, 0x03, ...Buffer.from('env'), 0x03, ...Buffer.from('foo'), 0x00, 0x00];
    const bytes = wasmModule(TYPE_VOID, imports, FUNC_0, exportStart(1), CODE_EMPTY);
    expect(WebAssembly.validate(bytes)).toBe(true);
    expectRefused(await runCli(['run', writeModule('envimport.wasm', bytes)]), 125);
  });

  it('a module whose initial memory is over --memory-max', async () => {
    const bytes = startModule(200); // 12.5 MiB
    expect(WebAssembly.validate(bytes)).toBe(true);
    const p = writeModule('bigmem.wasm', bytes);
    const refused = await runCli(['run', '--memory-max', '4', p]);
    expectRefused(refused, 125);
    expect(text(refused.stderr)).toMatch(/memory/i);
    // ... and the same module runs when the cap allows it.
    const ok = await runCli(['run', '--memory-max', '16', p]);
    expect({ code: ok.code, stdout: text(ok.stdout), stderr: text(ok.stderr) }).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('exit code 134: a trap', () => {
  it('__builtin_trap', async () => {
    const r = await runCli(['run', fixture('trap')]);
    expect(r.code).toBe(134);
    expect(text(r.stdout)).toBe('before trap\n');
    expect(text(r.stderr)).toMatch(/^terrarium: [^\n]*\n$/);
  });
});

describe('exit code 2: usage errors', () => {
  it.each([
    [['run', '--bogus', 'x.wasm']],
    [['run']],
    [['run', '--memory-max', 'abc', 'x.wasm']],
    [['run', '--memory-max', '0', 'x.wasm']],
    [['run', '--timeout', '-1', 'x.wasm']],
    [['run', '--timeout']],
    [['run', '--env']],
    [['run', '--env', '=value', 'x.wasm']],
    [['run', '--dir']],
    [['run', '--dir', '::/guest', 'x.wasm']],
    [['frobnicate']],
    [[]],
  ])('%j', async (args) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(text(r.stdout)).toBe('');
    expect(text(r.stderr)).toMatch(/usage|terrarium:/);
  });
});

describe('--memory-max', () => {
  const grow = async (args: string[]) => {
    const r = await runCli(['run', ...args]);
    expect(text(r.stderr)).toBe('');
    expect(r.code).toBe(0);
    const m = /^got (\d+) MiB\nmemory (\d+) pages\ngrow 4GiB failed\n$/.exec(text(r.stdout));
    expect(m, text(r.stdout)).not.toBeNull();
    return { mib: Number(m![1]), pages: Number(m![2]) };
  };

  it('caps what the guest can allocate, and more memory means more allocations', async () => {
    const small = await grow(['--memory-max', '32', fixture('grow')]);
    const large = await grow(['--memory-max', '64', fixture('grow')]);
    const free = await grow([fixture('grow'), '--', '128']);
    expect(small.pages).toBeLessThanOrEqual(512);
    expect(small.mib).toBeGreaterThanOrEqual(24);
    expect(small.mib).toBeLessThanOrEqual(32);
    expect(large.pages).toBeLessThanOrEqual(1024);
    expect(large.mib).toBeGreaterThanOrEqual(56);
    expect(large.mib).toBeLessThanOrEqual(64);
    expect(free.mib).toBe(128);
  });
});

describe('--env', () => {
  it('passes NAME=VALUE, forwards NAME from the host, and hides every other host variable', async () => {
    const r = await runCli(
      ['run', '--env', 'A=1', '--env', 'TERRARIUM_T_FWD', '--env', 'TERRARIUM_T_UNSET', '--env', 'B=two words', fixture('args_env')],
      { env: { TERRARIUM_T_FWD: 'forwarded value', TERRARIUM_T_SECRET: 'must not leak', HOME: '/home/secret' } },
    );
    expect(r.code, text(r.stderr)).toBe(0);
    const env = text(r.stdout).split('\n').filter((l) => l.startsWith('env'));
    expect(env).toEqual(['envc=3', 'env=A=1', 'env=TERRARIUM_T_FWD=forwarded value', 'env=B=two words']);
  });

  it('lets a later --env replace an earlier one for the same name', async () => {
    const r = await runCli(['run', '--env', 'A=1', '--env', 'A=2', fixture('args_env')]);
    expect(text(r.stdout).split('\n').filter((l) => l.startsWith('env'))).toEqual(['envc=1', 'env=A=2']);
  });
});

describe('arguments', () => {
  it('passes everything after -- verbatim, including flags, spaces, empty and non-ASCII words', async () => {
    const args = ['--timeout', '1', '--', '-', ' lead', 'trail ', '', 'tab\there', 'ünï✓', '$HOME', '*'];
    const r = await runCli(['run', fixture('args_env'), '--', ...args]);
    expect(r.code, text(r.stderr)).toBe(0);
    const argv = text(r.stdout).split('\n').filter((l) => l.startsWith('argv['));
    expect(argv).toEqual(['args_env.wasm', ...args].map((a, i) => `argv[${i}]=${a}`));
  });
});

describe('stdin, stdout and stderr are byte-exact', () => {
  it('every byte value, through stdin to stdout', async () => {
    const input = Buffer.from(Array.from({ length: 256 * 1000 }, (_, i) => i % 256));
    const r = await runCli(['run', fixture('stdio'), '--', 'echo'], { input });
    expect(r.code, text(r.stderr)).toBe(0);
    expect(r.stdout.equals(input)).toBe(true);
  });

  it('10 MB of random bytes, through stdin to stdout', async () => {
    const input = randomBytes(10 * 1024 * 1024);
    const r = await runCli(['run', fixture('stdio'), '--', 'echo'], { input });
    expect(r.code, text(r.stderr)).toBe(0);
    expect(r.stdout.length).toBe(input.length);
    expect(r.stdout.equals(input)).toBe(true);
    expect(text(r.stderr)).toBe('ok 3 checks\n');
  });

  it('random bytes, through stdin to stderr', async () => {
    const input = randomBytes(300_000);
    const r = await runCli(['run', fixture('stdio'), '--', 'echo-err'], { input });
    expect(r.code).toBe(0);
    expect(r.stderr.equals(input)).toBe(true);
    expect(text(r.stdout)).toBe('ok 3 checks\n');
  });

  it('empty stdin gives an immediate end of file', async () => {
    const r = await runCli(['run', fixture('stdio'), '--', 'echo'], { input: '' });
    expect({ code: r.code, stdout: r.stdout.length, stderr: text(r.stderr) }).toEqual({ code: 0, stdout: 0, stderr: 'ok 3 checks\n' });
  });

  it('stdin redirected from a file', async () => {
    const input = randomBytes(2 * 1024 * 1024 + 7);
    const p = join(tempDir('cli'), 'in.bin');
    writeFileSync(p, input);
    const fd = openSync(p, 'r');
    let r: CliResult;
    try {
      r = await runCli(['run', fixture('stdio'), '--', 'echo'], { stdinFd: fd });
    } finally {
      closeSync(fd);
    }
    expect(r.code, text(r.stderr)).toBe(0);
    expect(r.stdout.equals(input)).toBe(true);
  });

  it('interleaved binary writes to stdout and stderr stay on their own streams', async () => {
    const r = await runCli(['run', fixture('stdio'), '--', 'pattern']);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(r.stdout.equals(Buffer.concat([all, all.subarray(128), all.subarray(0, 128), Buffer.from([0, 10, 0xfe]), Buffer.from('ok 6 checks\n')]))).toBe(true);
    expect(r.stderr.equals(Buffer.from('E\0\xff\r\nend', 'latin1'))).toBe(true);
  });
});
