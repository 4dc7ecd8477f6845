/**
 * The transpiler's worker (main/wasm/transpile.ts): one worker serves component after component
 * while it is busy or idle for less than TRANSPILER_IDLE_MS (the transpiler's ~1 s cold start is
 * paid once), a component it cannot translate fails alone, and an idle worker keeps no process
 * alive.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TRANSPILER_IDLE_MS, stopTranspiler, transpileInWorker, transpilerThread } from '../../main/wasm/transpile.ts';
import { fixture, nodeBin, repoRoot } from '../helpers/paths.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

afterAll(() => {
  stopTranspiler();
  removeTempDirs();
});

const PROC = fixture('components/proc_code.component.wasm');
const proc = fs.readFileSync(PROC);
const notes = fs.readFileSync(fixture('components/notes.component.wasm'));

describe('the transpiler\'s worker', () => {
  it('stays for the next component and starts again once stopped', async () => {
    const first = await transpileInWorker(proc);
    const thread = transpilerThread();
    expect(thread).toBeGreaterThan(0);
    const [second, again] = await Promise.all([transpileInWorker(notes), transpileInWorker(proc)]);
    expect(transpilerThread()).toBe(thread);
    expect(again).toEqual(first);
    expect(Object.keys(second).filter((n) => n.endsWith('.js'))).toEqual(['component.js']);
    stopTranspiler();
    expect(transpilerThread()).toBeUndefined();
    await transpileInWorker(proc);
    expect(transpilerThread()).not.toBe(thread);
  });

  it('refuses what it cannot translate with one message, and goes on serving', async () => {
    const thread = (await transpileInWorker(proc), transpilerThread());
    await expect(transpileInWorker(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xff]))).rejects.toThrow(/./);
    expect(transpilerThread()).toBe(thread);
    expect(Object.keys(await transpileInWorker(proc)).some((n) => n.endsWith('.js'))).toBe(true);
  });

  it('keeps no process alive while idle', () => {
    const script = `import { readFileSync } from 'node:fs';
      import { transpileInWorker } from ${JSON.stringify(`${repoRoot}/main/wasm/transpile.ts`)};
      await transpileInWorker(readFileSync(${JSON.stringify(PROC)}));
      console.log('transpiled');`;
    const file = path.join(tempDir('transpile'), 'idle.mjs');
    fs.writeFileSync(file, script);
    const t0 = performance.now();
    const r = spawnSync(nodeBin, [file], { encoding: 'utf8', timeout: TRANSPILER_IDLE_MS + 10_000 });
    expect({ status: r.status, out: r.stdout }).toEqual({ status: 0, out: 'transpiled\n' });
    expect(performance.now() - t0).toBeLessThan(TRANSPILER_IDLE_MS / 2);
  });
});
