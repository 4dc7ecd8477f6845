/**
 * The host calls in worker threads (each run is one), and the per-process verdict: the first
 * worker proves the native calls, later ones trust that, and after a failure later ones stay
 * portable without repeating the log line (main/runtime/host-calls/verdict.ts).
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { createVerdict } from '../../../main/runtime/host-calls/verdict.ts';

const script = new URL('../../helpers/host-calls-worker.ts', import.meta.url);

function load(verdict: SharedArrayBuffer, env: Record<string, string> = {}): Promise<{ kind: string; note: string | null }> {
  const w = new Worker(script, { workerData: { hostCallsVerdict: verdict }, env: { ...process.env, TERRARIUM_HOST_CALLS: '', ...env } });
  return new Promise((resolve, reject) => {
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe.runIf(process.platform === 'linux' || process.platform === 'darwin')('in worker threads', () => {
  test('the first worker proves the native calls and records it; the next one uses them too', async () => {
    const verdict = createVerdict();
    expect(await load(verdict)).toEqual({ kind: 'native', note: null });
    expect(new Int32Array(verdict)[0]).toBe(1);
    expect(await load(verdict)).toEqual({ kind: 'native', note: null });
  });

  test('after a failure, later workers stay portable and quiet; forcing native names the reason', async () => {
    const verdict = createVerdict();
    new Int32Array(verdict)[0] = 2;
    expect(await load(verdict)).toEqual({ kind: 'portable', note: null });
    await expect(load(verdict, { TERRARIUM_HOST_CALLS: 'native' }))
      .rejects.toThrow('TERRARIUM_HOST_CALLS=native, but the native host calls are unavailable: they failed in an earlier run');
  });

  test('TERRARIUM_HOST_CALLS=portable is obeyed in a worker', async () => {
    expect(await load(createVerdict(), { TERRARIUM_HOST_CALLS: 'portable' })).toEqual({ kind: 'portable', note: null });
  });
});
