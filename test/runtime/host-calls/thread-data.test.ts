/**
 * host-calls/thread-data.ts `onMainThread`: which thread this is, from Node's list of the
 * thread's loaded built-ins, without loading node:worker_threads on the main thread (it loads the
 * stream library: ~5 ms of CPU at the exit of every same-thread run whose output is a file).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread } from 'node:worker_threads';
import { expect, test } from 'vitest';
import { onMainThread } from '../../../main/runtime/host-calls/thread-data.ts';

const url = pathToFileURL(path.resolve(import.meta.dirname, '../../../main/runtime/host-calls/thread-data.ts')).href;

test('on a process\'s main thread: true, and node:worker_threads is not loaded to find out', () => {
  expect(onMainThread()).toBe(isMainThread);
  const script = `const { onMainThread } = await import(${JSON.stringify(url)}); console.log(onMainThread(), process.moduleLoadList.includes('NativeModule worker_threads'));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stdout.trim(), r.stderr).toBe('true false');
});

test('in a worker thread: false', async () => {
  const code = `const { onMainThread } = await import(${JSON.stringify(url)}); (await import('node:worker_threads')).parentPort.postMessage(onMainThread());`;
  const w = new Worker(code, { eval: true });
  const answer = await new Promise((resolve, reject) => w.once('message', resolve).once('error', reject));
  await w.terminate();
  expect(answer).toBe(false);
});
