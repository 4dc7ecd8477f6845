/**
 * A stored module read, proven and compiled by a spare worker (run.ts `loadInWorker`,
 * docs/design/warm-runs.md round 10): the worker runs nothing of bytes that are not the installed
 * ones (the one rule: stat signature or SHA-256, shared/module-check.ts), refuses a module that
 * cannot run with the main thread's own message, and the module it posts back runs (primed) in it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadError, instantiatesInert, loadCommand } from '../../main/runtime/load.ts';
import { ModuleReadError, bootWorker, loadInWorker, primedModule, startRun } from '../../main/runtime/run.ts';
import { statSignature } from '../../main/shared/module-check.ts';
import { fixture } from '../helpers/paths.ts';

const workers: Worker[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) await w.terminate();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function spare(): Worker {
  const w = bootWorker();
  workers.push(w);
  return w;
}

/** `bytes` stored in a file of their own; the file and their SHA-256. */
function stored(bytes: Uint8Array): { file: string; sha256: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-load-in-worker-'));
  dirs.push(dir);
  const file = path.join(dir, 'm.wasm');
  fs.writeFileSync(file, bytes);
  return { file, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
}

describe('loadInWorker', () => {
  it('reads, hashes and compiles the module in the worker; the module posted back runs there, primed', async () => {
    const w = spare();
    const { file, sha256 } = stored(fs.readFileSync(fixture('proc.wasm')));
    const { module, signature } = await loadInWorker(w, { file, sha256 });
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(WebAssembly.Module.exports(module).map((e) => e.name)).toContain('_start');
    // The file was written just now: hashed and found right, but not settled, so no signature to record.
    expect(signature).toBeUndefined();
    // Known here to run nothing when instantiated (the worker said so), and the worker instantiated it.
    expect(instantiatesInert(module)).toBe(true);
    expect(primedModule(w)).toBe(module);
    const out: Uint8Array[] = [];
    const run = startRun({ module, args: ['proc', 'exit', '6'], env: [], preopens: [], onOutput: (_s, d) => out.push(d.slice()) }, w);
    expect(await run.done).toEqual({ kind: 'exit', code: 6 });
    expect(Buffer.concat(out).toString()).toBe('exiting 6\n');
  });

  it('refuses bytes that are not the stored hash (changed on disk), and a missing file', async () => {
    const bytes = fs.readFileSync(fixture('proc.wasm'));
    const { file } = stored(bytes);
    const other = crypto.createHash('sha256').update('something else').digest('hex');
    const refused = loadInWorker(spare(), { file, sha256: other });
    await expect(refused).rejects.toBeInstanceOf(ModuleReadError);
    await expect(refused).rejects.toThrow(/the stored module changed on disk \(expected sha256 [0-9a-f]{64}, found [0-9a-f]{64}\)/);
    // A recorded signature that is not the file's proves nothing: hashed, refused.
    await expect(loadInWorker(spare(), { file, sha256: other, recorded: '1:2:3:4:5' })).rejects.toBeInstanceOf(ModuleReadError);
    await expect(loadInWorker(spare(), { file: `${file}.gone`, sha256: other })).rejects.toBeInstanceOf(ModuleReadError);
  });

  it('takes the file\'s recorded stat signature as proof, as the store does (nothing hashed)', async () => {
    const { file } = stored(fs.readFileSync(fixture('proc.wasm')));
    const recorded = statSignature(fs.statSync(file, { bigint: true }));
    // The hash given is wrong, so only the signature can have proven the bytes.
    const { module } = await loadInWorker(spare(), { file, sha256: '0'.repeat(64), recorded });
    expect(module).toBeInstanceOf(WebAssembly.Module);
  });

  it('refuses a malformed module, or one whose memory is over the cap, with the main thread\'s message', async () => {
    const malformed = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0xff]);
    const proc = fs.readFileSync(fixture('proc.wasm'));
    for (const [bytes, cap] of [[malformed, undefined], [proc, 65536 / 2]] as const) {
      const here = await loadCommand(bytes, cap).then(() => undefined, (err: unknown) => err as Error);
      expect(here).toBeInstanceOf(LoadError);
      const there = await loadInWorker(spare(), { ...stored(bytes), memoryMaxBytes: cap }).then(() => undefined, (err: unknown) => err as Error);
      expect(there).toBeInstanceOf(LoadError);
      expect(there!.message).toBe(here!.message);
    }
  });
});
