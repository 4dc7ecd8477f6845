/**
 * Install-time transpilation (issue 15.1): jco's generator runs in a worker thread, so the calling
 * thread (the window's main process) keeps its event loop; a component jco cannot translate is
 * still refused with the same one line; the 'transpile' stage is reported before it starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { inspectModule } from '../../main/library/inspect.ts';
import { transpileForInstall } from '../../main/library/install-component.ts';
import { FIXTURES } from '../helpers/library.ts';

const notes = new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'components', 'notes.component.wasm')));

test('transpiling runs off the calling thread: its event loop keeps ticking meanwhile', async () => {
  const inspection = await inspectModule(notes);
  expect(inspection.component?.path).toBe('wasi-0.2-host');
  let last = performance.now();
  let longest = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    ticks++;
  }, 5);
  const t0 = performance.now();
  try {
    const packed = await transpileForInstall(notes, inspection);
    expect(packed?.length).toBeGreaterThan(0);
  } finally {
    clearInterval(timer);
  }
  const total = performance.now() - t0;
  longest = Math.max(longest, performance.now() - last);
  // On the calling thread jco's generate blocks for all of it (0.1–0.9 s here, no tick at all).
  expect(ticks, `${ticks} ticks in ${Math.round(total)} ms`).toBeGreaterThanOrEqual(10);
  expect(longest, `longest block ${Math.round(longest)} ms of ${Math.round(total)} ms`).toBeLessThan(total / 3);
  expect(inspection.component?.transpiled).toMatchObject({ transpiler: 'jco-transpile-0.15', size: expect.any(Number) });
});

test('a component jco cannot translate is refused with the same one line as on the calling thread', async () => {
  // A Buffer, as a read file is: its slice() is a view, which moving to the worker would detach.
  const broken = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 1, 2, 3]);
  const inspection = { component: { path: 'wasi-0.2-host' } } as Parameters<typeof transpileForInstall>[1];
  const err = await transpileForInstall(broken, inspection).then(() => null, (e: unknown) => e as { code: string; message: string });
  expect([err?.code, err?.message]).toEqual(['component', 'this component cannot be prepared for the WASI 0.2 host: failed to extract interface information from component']);
  expect([broken.length, broken[8]]).toEqual([11, 1]); // the caller's bytes are copied to the worker, not moved
});

test("the 'transpile' stage is reported before a 0.2-host component is transpiled, and only then", async () => {
  const heard: unknown[][] = [];
  await transpileForInstall(notes, await inspectModule(notes), (...a) => heard.push(a));
  expect(heard).toEqual([[notes.length, notes.length, 'transpile']]);
  const preview1 = new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'components', 'proc.component.wasm')));
  const adapted = await inspectModule(preview1);
  expect(adapted.component?.path).not.toBe('wasi-0.2-host');
  heard.length = 0;
  expect(await transpileForInstall(preview1, adapted, (...a) => heard.push(a))).toBeUndefined();
  expect(heard).toEqual([]);
});
