/**
 * Warm runs in the window (issue 14.4): a second run of an app starts from its cached compiled
 * module in the spare worker and behaves exactly as a cold one; the cache is bounded and keyed by
 * the module's hash, served only while the stored file is unchanged; the spare is not leaked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Api, createApi } from '../../main/api/index.ts';
import { Library } from '../../main/library/library.ts';
import { ModuleCache, SpareWorker, startTrace } from '../../main/launcher/warm.ts';
import { Sessions } from '../../main/launcher/sessions.ts';
import { primedModule, startRun } from '../../main/runtime/run.ts';
import type { RunExit } from '../../preload/api.ts';
import { fixture, seed } from '../helpers/e2e/harness.ts';

const homes: string[] = [];
const apis: Api[] = [];
afterEach(async () => {
  for (const a of apis.splice(0)) await a.close();
  for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
});

function newApi(): { api: Api; home: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-warm-'));
  homes.push(home);
  const api = createApi({ transport: 'web', home });
  apis.push(api);
  return { api, home };
}

/** Runs app `ref` through the window's API; its whole output and how it ended. */
async function runInWindow(api: Api, ref: string, args: string[]): Promise<{ out: string; exit: RunExit }> {
  const chunks: Uint8Array[] = [];
  let runId = '';
  const early: { name: string; payload: unknown }[] = [];
  const exited = new Promise<RunExit>((resolve) => {
    const off = api.onEvent((name, payload) => {
      if (!runId) return void early.push({ name, payload });
      const p = payload as { runId?: string; data?: Uint8Array };
      if (p.runId !== runId) return;
      if (name === 'run.output') chunks.push(p.data!);
      if (name === 'run.exit') {
        off();
        resolve(payload as RunExit);
      }
    });
  });
  const r = await api.handle('runs.start', { ref, args, cols: 80, rows: 24 });
  if (!r.ok) throw new Error(r.message);
  runId = (r.value as { runId: string }).runId;
  for (const e of early) if ((e.payload as { runId?: string }).runId === runId && e.name === 'run.output') chunks.push((e.payload as { data: Uint8Array }).data);
  const exit = await exited;
  return { out: Buffer.concat(chunks).toString('utf8'), exit };
}

/** The threads of this process now (a worker is one). */
const threads = (): number => fs.readdirSync('/proc/self/task').length;

describe('warm runs through the window', () => {
  it('a warm run (cached module, spare worker) gives the same output and exit code as a cold one', async () => {
    const { api } = newApi();
    const id = await seed(api, fixture('proc.wasm'));
    const cold = await runInWindow(api, id, ['exit', '7']);
    expect(cold.out).toBe('exiting 7\n');
    expect(cold.exit).toMatchObject({ outcome: 'exit', exitCode: 7 });
    const warm = await runInWindow(api, id, ['exit', '7']);
    expect(warm).toEqual({ out: cold.out, exit: { ...cold.exit, runId: warm.exit.runId } });
    const checks = await runInWindow(api, id, ['checks']);
    expect(checks.exit).toMatchObject({ outcome: 'exit', exitCode: 0 });
    expect(checks.out).toMatch(/ok \d+ checks\n$/);
  });

  it('a module whose stored file changed is read and checked again, not served from the cache', async () => {
    const { api, home } = newApi();
    const id = await seed(api, fixture('proc.wasm'));
    expect((await runInWindow(api, id, ['exit', '3'])).exit).toMatchObject({ outcome: 'exit', exitCode: 3 });
    const lib = Library.open(home);
    const app = lib.app(id);
    const file = lib.store.pathOf(app.sha256);
    lib.close();
    // The stored file is replaced by another program (same size, other bytes).
    const other = fs.readFileSync(fixture('proc.wasm'));
    other[other.length - 1] = other[other.length - 1]! ^ 1;
    fs.writeFileSync(file, other);
    // Read and hashed off the main thread (the compile runs meanwhile): the run is refused before
    // anything of the changed module runs.
    const changed = await runInWindow(api, id, ['exit', '3']);
    expect(changed.out).toBe('');
    expect(changed.exit).toMatchObject({ outcome: 'load-error', exitCode: null });
    expect(changed.exit.message).toMatch(/cannot run .*changed on disk/);
  });
});

describe('a spare primed with the last run\'s module', () => {
  it('is used for the next run of that app, which gets the grants as they are when it starts', async () => {
    const { api, home } = newApi();
    const id = await seed(api, fixture('e2e_cat.wasm'), 'cat');
    apis.splice(apis.indexOf(api), 1);
    await api.close();
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-warm-data-'));
    homes.push(data);
    fs.writeFileSync(path.join(data, 'x'), 'secret');
    const lib = Library.open(home);
    const [folder] = lib.grant(id, [{ kind: 'folder', host: data, guest: '/data', access: 'read' }]);
    lib.grant(id, [{ kind: 'args', args: ['/data/x'] }]);
    const out = new Map<string, string>();
    const exits = new Map<string, () => void>();
    const sessions = new Sessions(lib, (name, payload) => {
      const p = payload as { runId: string; data?: Uint8Array };
      if (name === 'run.output') out.set(p.runId, (out.get(p.runId) ?? '') + Buffer.from(p.data!).toString());
      if (name === 'run.exit') exits.get(p.runId)?.();
    }, undefined, 50); // an access no grant covers is denied after 50 ms without an answer
    const marks: string[] = [];
    startTrace.mark = (step) => marks.push(step);
    const run = async (): Promise<string> => {
      marks.length = 0;
      let info!: { runId: string };
      const ended = new Promise<void>((r) => {
        info = sessions.start(id, [], 80, 24);
        exits.set(info.runId, r);
      });
      await ended;
      return out.get(info.runId) ?? '';
    };
    try {
      expect(await run()).toBe('cat /data/x secret\n');
      // The spare that replaces the one taken is primed with the module the run used.
      for (let i = 0; i < 500 && (sessions.spare.current === undefined || primedModule(sessions.spare.current) === undefined); i++) await new Promise((r) => setTimeout(r, 20));
      expect(primedModule(sessions.spare.current!)).toBeInstanceOf(WebAssembly.Module);
      // Between the runs: the folder is revoked, the default args change.
      lib.revoke(id, [{ id: folder!.id }]);
      lib.grant(id, [{ kind: 'args', args: ['/data/x', 'more'] }]);
      const second = await run();
      expect(marks).toContain('worker handed the run (primed with its module)');
      expect(second).toMatch(/^cat \/data\/x errno=\d+\ncat more errno=\d+\n$/);
      // A memory limit granted meanwhile is another compiled module (the cap is written into it):
      // the spare primed with the uncapped one is not used as it is.
      for (let i = 0; i < 500 && (sessions.spare.current === undefined || primedModule(sessions.spare.current) === undefined); i++) await new Promise((r) => setTimeout(r, 20));
      lib.grant(id, [{ kind: 'limit', name: 'memory-max-mib', value: 64 }]);
      expect(await run()).toMatch(/^cat \/data\/x errno=\d+\ncat more errno=\d+\n$/);
      expect(marks).toContain('worker handed the run');
      expect(marks).not.toContain('worker handed the run (primed with its module)');
    } finally {
      startTrace.mark = undefined;
      await sessions.stopAll();
      lib.close();
    }
  });
});

describe('ModuleCache', () => {
  const wasm = (name: string): { bytes: Uint8Array; file: string } => ({ bytes: fs.readFileSync(fixture(name)), file: fixture(name) });

  it('is bounded by count and by bytes, evicting the least recently used', async () => {
    const a = wasm('proc.wasm');
    const b = wasm('stdio.wasm');
    const c = wasm('args_env.wasm');
    const cache = new ModuleCache({ entries: 2, bytes: 1 << 30 });
    let reads = 0;
    const load = (x: { bytes: Uint8Array; file: string }, key: string): Promise<WebAssembly.Module> => cache.load(key, x.file, undefined, () => (reads++, x.bytes));
    const first = await load(a, 'a');
    await load(b, 'b');
    expect(await load(a, 'a')).toBe(first); // a hit: the same compiled module
    expect(reads).toBe(2);
    await load(c, 'c'); // evicts b, the least recently used
    expect(cache.size.entries).toBe(2);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    await load(b, 'b');
    expect(reads).toBe(4);

    const small = new ModuleCache({ entries: 10, bytes: a.bytes.length + b.bytes.length });
    await small.load('a', a.file, undefined, () => a.bytes);
    await small.load('b', b.file, undefined, () => b.bytes);
    await small.load('c', c.file, undefined, () => c.bytes);
    expect(small.size.bytes).toBeLessThanOrEqual(a.bytes.length + b.bytes.length);
    expect(small.has('a')).toBe(false);
  });

  it('keys by hash and memory cap, and drops a module that fails to compile', async () => {
    const a = wasm('proc.wasm');
    const cache = new ModuleCache();
    const m1 = await cache.load('a', a.file, undefined, () => a.bytes);
    const m2 = await cache.load('a', a.file, 16 * 1024 * 1024, () => a.bytes);
    expect(m2).not.toBe(m1);
    await expect(cache.load('bad', a.file, undefined, () => new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]))).rejects.toThrow(/WebAssembly module/);
    expect(cache.has('bad')).toBe(false);
  });
});

describe('SpareWorker', () => {
  it('boots one spare, hands it to a run that produces the right output, replaces it, and leaks none at close', async () => {
    const spare = new SpareWorker({ idleMs: 60_000, minFreeBytes: 0, refillDelayMs: 0 });
    spare.fill();
    await new Promise((r) => setTimeout(r, 50));
    const w = spare.current!;
    expect(w).toBeDefined();
    const taken = spare.take();
    expect(taken).toBe(w);
    const chunks: Uint8Array[] = [];
    const module = await WebAssembly.compile(fs.readFileSync(fixture('proc.wasm')));
    const run = startRun({ module, args: ['proc', 'exit', '5'], env: [], preopens: [], onOutput: (_s, d) => chunks.push(d.slice()) }, taken);
    expect(await run.done).toEqual({ kind: 'exit', code: 5 });
    expect(Buffer.concat(chunks).toString()).toBe('exiting 5\n');
    await new Promise((r) => setTimeout(r, 50));
    const next = spare.current!;
    expect(next).toBeDefined();
    expect(next).not.toBe(w);
    const exited = new Promise((r) => next.once('exit', r));
    await spare.close();
    await exited;
    expect(next.threadId).toBe(-1);
    expect(spare.current).toBeUndefined();
    spare.fill();
    await new Promise((r) => setTimeout(r, 20));
    expect(spare.current).toBeUndefined();
  });

  it('boots none under memory pressure, and drops the spare after the idle time', async () => {
    const short = new SpareWorker({ idleMs: 60_000, minFreeBytes: 1024, refillDelayMs: 0 }, () => 10);
    short.fill();
    await new Promise((r) => setTimeout(r, 30));
    expect(short.current).toBeUndefined();
    await short.close();

    const idle = new SpareWorker({ idleMs: 100, minFreeBytes: 0, refillDelayMs: 0 });
    idle.fill();
    await new Promise((r) => setTimeout(r, 20));
    const w = idle.current!;
    expect(w).toBeDefined();
    const exited = new Promise((r) => w.once('exit', r));
    await exited;
    expect(idle.current).toBeUndefined();
    await idle.close();
  });

  it.skipIf(process.platform !== 'linux')('the window core stops its spare worker when it closes', async () => {
    // A first core, opened and closed, starts the process's own helper threads (thread pool, compiler).
    const first = newApi();
    await runInWindow(first.api, await seed(first.api, fixture('proc.wasm')), ['exit', '0']);
    apis.splice(apis.indexOf(first.api), 1);
    await first.api.close();
    await new Promise((r) => setTimeout(r, 200));
    const before = threads();
    const { api } = newApi();
    const id = await seed(api, fixture('proc.wasm'));
    await runInWindow(api, id, ['exit', '0']);
    // The spare that replaces the one taken.
    for (let i = 0; i < 100 && threads() <= before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(threads()).toBeGreaterThan(before);
    apis.splice(apis.indexOf(api), 1);
    await api.close();
    for (let i = 0; i < 25 && threads() > before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(threads()).toBeLessThanOrEqual(before);
  });
});
