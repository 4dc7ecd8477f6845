/** `terrarium run`'s command line: `--dir`, `--env`, limits, and where the app's own words start. */
import { describe, expect, it } from 'vitest';
import { parseDir, parseRunArgs, type RunArgs, UsageError } from '../../main/cli/run-args.ts';

const rw = (hostPath: string, guestPath = hostPath) => ({ hostPath, guestPath, readOnly: false });
const ro = (hostPath: string, guestPath = hostPath) => ({ hostPath, guestPath, readOnly: true });
const run = (over: Partial<RunArgs>): RunArgs => ({ module: 'm.wasm', args: [], dirs: [], env: [], ...over });

describe('parseDir', () => {
  it.each([
    ['a', rw('a')],
    ['a::/b', rw('a', '/b')],
    ['a::/b:ro', ro('a', '/b')],
    ['a::/b:rw', rw('a', '/b')],
    ['a:ro', ro('a')],
    ['/srv/data::/data', rw('/srv/data', '/data')],
    ['C:\\x::/c', rw('C:\\x', '/c')],
    ['C:\\x::/c:ro', ro('C:\\x', '/c')],
    ['C:\\x', rw('C:\\x')],
    ['C:\\x:ro', ro('C:\\x')],
    ['my folder::/with space', rw('my folder', '/with space')],
    ['a::/b::c', rw('a', '/b::c')],
  ])('%s', (spec, want) => {
    expect(parseDir(spec)).toEqual(want);
  });

  it.each(['', '::/b', ':ro', '::/b:ro', 'a::', 'a:::ro'])('refuses %j', (spec) => {
    expect(() => parseDir(spec)).toThrow(UsageError);
  });
});

describe('parseRunArgs', () => {
  it.each<[string[], RunArgs]>([
    [['m.wasm'], run({})],
    [['--dir', 'a', 'm.wasm'], run({ dirs: [rw('a')] })],
    [['--dir=a::/b:ro', 'm.wasm'], run({ dirs: [ro('a', '/b')] })],
    [['--dir', 'C:\\x::/c', '--dir=d:ro', 'm.wasm'], run({ dirs: [rw('C:\\x', '/c'), ro('d')] })],
    [['--env', 'N', 'm.wasm'], run({ env: [{ name: 'N', forward: true }] })],
    [['--env', 'N=V=W', 'm.wasm'], run({ env: [{ name: 'N', value: 'V=W' }] })],
    [['--env=N=V', 'm.wasm'], run({ env: [{ name: 'N', value: 'V' }] })],
    [['--env', 'N=', 'm.wasm'], run({ env: [{ name: 'N', value: '' }] })],
    [
      ['--env', 'A=1', '--env', 'B', '--env', 'A=2', 'm.wasm'],
      run({ env: [{ name: 'A', value: '1' }, { name: 'B', forward: true }, { name: 'A', value: '2' }] }),
    ],
    [['--memory-max', '64', 'm.wasm'], run({ memoryMaxMiB: 64 })],
    [['--memory-max=0.5', 'm.wasm'], run({ memoryMaxMiB: 0.5 })],
    [['--timeout', '1.5', 'm.wasm'], run({ timeoutSeconds: 1.5 })],
    [['--timeout=30', 'm.wasm'], run({ timeoutSeconds: 30 })],
  ])('%j', (argv, want) => {
    expect(parseRunArgs(argv)).toEqual(want);
  });

  it.each([
    ['--dir=', ['--dir=', 'm.wasm']],
    ['--dir with no value', ['--dir']],
    ['--env =x', ['--env', '=x', 'm.wasm']],
    ['--env= (empty)', ['--env=', 'm.wasm']],
    ['--env with a NUL in the name', ['--env', 'A\0B=1', 'm.wasm']],
    ['--memory-max 0', ['--memory-max', '0', 'm.wasm']],
    ['--memory-max -1', ['--memory-max', '-1', 'm.wasm']],
    ['--memory-max abc', ['--memory-max', 'abc', 'm.wasm']],
    ['--memory-max empty', ['--memory-max=', 'm.wasm']],
    ['--memory-max Infinity', ['--memory-max', 'Infinity', 'm.wasm']],
    ['--memory-max NaN', ['--memory-max', 'NaN', 'm.wasm']],
    ['--memory-max with no value', ['--memory-max']],
    ['--timeout 0', ['--timeout', '0', 'm.wasm']],
    ['--timeout -5', ['--timeout=-5', 'm.wasm']],
    ['--timeout 1s', ['--timeout', '1s', 'm.wasm']],
    ['an unknown flag', ['--bogus', 'm.wasm']],
    ['an unknown flag with a value', ['--bogus=1', 'm.wasm']],
    ['a flag prefix', ['--di', 'a', 'm.wasm']],
    ['no module', []],
    ['no module after flags', ['--dir', 'a', '--env', 'X=1']],
    ['no module after --', ['--dir', 'a', '--']],
  ])('refuses %s with a UsageError', (_, argv) => {
    expect(() => parseRunArgs(argv)).toThrow(UsageError);
  });

  it('names the bad value in the message', () => {
    expect(() => parseRunArgs(['--memory-max', 'abc', 'm.wasm'])).toThrow(/--memory-max.*abc/);
    expect(() => parseRunArgs(['--frobnicate', 'm.wasm'])).toThrow(/--frobnicate/);
    expect(() => parseRunArgs([])).toThrow(/MODULE/);
  });

  it('gives every word after the module to the app, flags included', () => {
    expect(parseRunArgs(['--dir', 'a', 'm.wasm', 'x', '--dir', 'y', '--env', 'A=1', '-v'])).toEqual(
      run({ dirs: [rw('a')], args: ['x', '--dir', 'y', '--env', 'A=1', '-v'] }),
    );
    expect(parseRunArgs(['m.wasm', '--timeout', '0'])).toEqual(run({ args: ['--timeout', '0'] }));
  });

  it('treats "--" before the module as the end of options', () => {
    expect(parseRunArgs(['--timeout', '2', '--', 'm.wasm', '--x'])).toEqual(
      run({ timeoutSeconds: 2, args: ['--x'] }),
    );
    expect(parseRunArgs(['--', '--weird.wasm'])).toEqual(run({ module: '--weird.wasm' }));
  });

  it('drops one "--" right after the module and keeps any later one', () => {
    expect(parseRunArgs(['m.wasm', '--', '-a', '--b'])).toEqual(run({ args: ['-a', '--b'] }));
    expect(parseRunArgs(['m.wasm', '--', '--'])).toEqual(run({ args: ['--'] }));
    expect(parseRunArgs(['m.wasm', 'x', '--'])).toEqual(run({ args: ['x', '--'] }));
  });

  it('keeps the module path as typed, spaces and all', () => {
    expect(parseRunArgs(['dir with space/app.wasm', 'a b'])).toEqual(
      run({ module: 'dir with space/app.wasm', args: ['a b'] }),
    );
  });

  // A single-dash word before the module is taken as the module path ("-h" → module "-h").
  it('refuses a single-dash option before the module', () => {
    expect(() => parseRunArgs(['-h'])).toThrow(UsageError);
    expect(() => parseRunArgs(['-v', 'm.wasm'])).toThrow(UsageError);
  });
});
