/**
 * A component that never ends on the full WASI 0.2 host (spin.c wrapped by the preview1 adapter,
 * TERRARIUM_COMPONENT_HOST=wasi-0.2) is stopped like a preview1 module: by Ctrl+C (exit 130) and
 * by the time limit (exit 124), spinning in wasm or asleep in wasi:io/poll, on the command's own
 * thread and in a worker.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, runCli, spawnCli, waitForOutput } from '../../helpers/cli.ts';
import { removeTempDirs } from '../../helpers/temp.ts';
import { component } from './compare.ts';

const devNull = fs.openSync('/dev/null', 'r');
afterAll(() => {
  fs.closeSync(devNull);
  removeTempDirs();
});

const THREADS: [string, Record<string, string>][] = [
  ['on the command\'s thread', { TERRARIUM_COMPONENT_HOST: 'wasi-0.2' }],
  ['in a worker', { TERRARIUM_COMPONENT_HOST: 'wasi-0.2', TERRARIUM_SAME_THREAD: '0' }],
];
const MODES = [['busy', 'spinning in wasm'], ['sleep', 'asleep in poll']] as const;

describe.each(THREADS)('a busy component %s', (_, env) => {
  it.each(MODES)('Ctrl+C stops it (%s: %s): exit 130, its output delivered', async (mode) => {
    const child = spawnCli(null, ['run', component('spin'), '--', mode], { env, stdio: [devNull, 'pipe', 'pipe'] });
    const done = collect(child, 30_000);
    await waitForOutput(child, `spinning ${mode}\n`);
    const at = performance.now();
    child.kill('SIGINT');
    const r = await done;
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 130, stdout: `spinning ${mode}\n`, stderr: 'terrarium: interrupted\n' });
    expect(performance.now() - at).toBeLessThan(5_000);
  });

  it.each(MODES)('the time limit stops it (%s: %s): exit 124', async (mode) => {
    const r = await runCli(['run', '--timeout', '1', component('spin'), '--', mode], { env, stdinFd: devNull, killAfterMs: 30_000 });
    expect(r.code).toBe(124);
    expect(r.stdout.toString('utf8')).toBe(`spinning ${mode}\n`);
    expect(r.stderr.toString('utf8')).toBe('terrarium: time limit of 1 s reached; the app was stopped\n');
  });
});
