/**
 * Warm runs in the window (issue 14.4): a second run of an app starts from its cached compiled
 * module in the spare worker and behaves exactly as a cold one; the cache is bounded and keyed by
 * the module's hash, served only while the stored file is unchanged; the spare is not leaked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Api, createApi } from '../../main/api/index.ts';
import { Library } from '../../main/library/library.ts';
import { moduleSignature } from '../../main/library/signatures.ts';
import { SETTLE_MS, statSignature } from '../../main/library/store.ts';
import { ModuleCache, startTrace } from '../../main/launcher/warm.ts';
import { Sessions } from '../../main/launcher/sessions.ts';
import { primedModule } from '../../main/runtime/run.ts';
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
      if (name === 'run.output') chunks.push(p.data!.slice()); // lent for the event only
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
      // (Beside a plain spare: only one app has run.)
      const primedSpare = (): boolean => sessions.spare.all.some((w) => primedModule(w) !== undefined);
      for (let i = 0; i < 500 && !primedSpare(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(sessions.spare.all.map((w) => primedModule(w)).find((m) => m !== undefined)).toBeInstanceOf(WebAssembly.Module);
      // Between the runs: the folder is revoked, the default args change.
      lib.revoke(id, [{ id: folder!.id }]);
      lib.grant(id, [{ kind: 'args', args: ['/data/x', 'more'] }]);
      const second = await run();
      expect(marks).toContain('worker handed the run (primed with its module)');
      expect(second).toMatch(/^cat \/data\/x errno=\d+\ncat more errno=\d+\n$/);
      // A memory limit granted meanwhile is another compiled module (the cap is written into it):
      // the spare primed with the uncapped one is not used as it is.
      for (let i = 0; i < 500 && !primedSpare(); i++) await new Promise((r) => setTimeout(r, 20));
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

/** A library (its own home) with `programs` installed (fixture file, app name), opened as the window core opens it; the apps' ids. */
async function libraryWith<T extends [file: string, name: string][]>(...programs: T): Promise<{ lib: Library; ids: { [K in keyof T]: string } }> {
  const { api, home } = newApi();
  const ids: string[] = [];
  for (const [file, name] of programs) ids.push(await seed(api, fixture(file), name));
  apis.splice(apis.indexOf(api), 1);
  await api.close();
  return { lib: Library.open(home), ids: ids as { [K in keyof T]: string } };
}

/** A window core's sessions over `lib` (a restart of the window each time), and a way to run an app to its end. */
function openSessions(lib: Library): { sessions: Sessions; run(id: string, args?: string[]): Promise<{ out: string; marks: string[]; exit: RunExit }> } {
  const out = new Map<string, string>();
  const exits = new Map<string, (e: RunExit) => void>();
  const sessions = new Sessions(lib, (name, payload) => {
    const p = payload as { runId: string; data?: Uint8Array };
    if (name === 'run.output') out.set(p.runId, (out.get(p.runId) ?? '') + Buffer.from(p.data!).toString());
    if (name === 'run.exit') exits.get(p.runId)?.(payload as RunExit);
  });
  return {
    sessions,
    async run(id, args = []) {
      const marks: string[] = [];
      startTrace.mark = (step) => marks.push(step);
      try {
        let info!: { runId: string };
        const exit = await new Promise<RunExit>((r) => {
          info = sessions.start(id, args, 80, 24);
          exits.set(info.runId, r);
        });
        return { out: out.get(info.runId) ?? '', marks, exit };
      } finally {
        startTrace.mark = undefined;
      }
    },
  };
}

/** Waits until `n` of `sessions`' spares have booted and are primed with a module. */
async function primedSpares(sessions: Sessions, n = 1): Promise<void> {
  const primed = (): number => sessions.spare.ready.filter((w) => primedModule(w) !== undefined).length;
  for (let i = 0; i < 500 && primed() < n; i++) await new Promise((r) => setTimeout(r, 20));
  expect(primed()).toBeGreaterThanOrEqual(n);
}

const PRIMED = 'worker handed the run (primed with its module)';

describe('spares primed with the modules run last', () => {
  it('two apps run in turn each find a spare primed with their own module', async () => {
    const { lib, ids: [a, b] } = await libraryWith(['proc.wasm', 'a'], ['args_env.wasm', 'b']);
    const { sessions, run } = openSessions(lib);
    try {
      expect((await run(a, ['exit', '2'])).out).toBe('exiting 2\n');
      expect((await run(b, ['one'])).out).toContain('argv[1]=one\n');
      await primedSpares(sessions, 2);
      const again = await run(a, ['exit', '3']);
      expect(again.marks).toContain(PRIMED);
      expect(again.out).toBe('exiting 3\n');
      expect(again.exit).toMatchObject({ outcome: 'exit', exitCode: 3 });
    } finally {
      await sessions.stopAll();
      lib.close();
    }
  });

  it('after a restart, the app run last starts primed, with its grants, arguments and environment as they are at the click', async () => {
    const { lib, ids: [id] } = await libraryWith(['args_env.wasm', 'env']);
    lib.grant(id, [{ kind: 'env', name: 'GREETING', value: 'before' }, { kind: 'args', args: ['first'] }]);
    const before = openSessions(lib);
    try {
      const cold = await before.run(id);
      expect(cold.marks).not.toContain(PRIMED);
      expect(cold.out).toContain('argv[1]=first\n');
      expect(cold.out).toContain('env=GREETING=before\n');
    } finally {
      await before.sessions.stopAll();
    }
    // The window restarts: the app run last is compiled and a spare primed with it ahead of any Run.
    const after = openSessions(lib);
    try {
      await primedSpares(after.sessions);
      lib.grant(id, [{ kind: 'env', name: 'GREETING', value: 'after' }, { kind: 'args', args: ['second'] }]);
      const warm = await after.run(id, ['more']);
      expect(warm.marks).toContain(PRIMED);
      expect(warm.out).toContain('argv[1]=second\nargv[2]=more\n');
      expect(warm.out).toContain('env=GREETING=after\n');
      expect(warm.out).not.toContain('before');
      expect(warm.out).not.toContain('first');
      expect(warm.exit).toMatchObject({ outcome: 'exit' }); // its argv[0] check fails: the app is named "env"
    } finally {
      await after.sessions.stopAll();
      lib.close();
    }
  });

  it('after a restart, a module whose stored file changed since it was compiled ahead is refused, never run', async () => {
    const { lib, ids: [id] } = await libraryWith(['proc.wasm', 'proc']);
    const before = openSessions(lib);
    try {
      expect((await before.run(id, ['exit', '5'])).out).toBe('exiting 5\n');
    } finally {
      await before.sessions.stopAll();
    }
    const after = openSessions(lib);
    try {
      await primedSpares(after.sessions);
      const file = lib.store.pathOf(lib.app(id).sha256);
      const other = fs.readFileSync(file);
      other[other.length - 1] = other[other.length - 1]! ^ 1;
      fs.writeFileSync(file, other);
      const changed = await after.run(id, ['exit', '5']);
      expect(changed.out).toBe('');
      expect(changed.exit).toMatchObject({ outcome: 'load-error', exitCode: null });
      expect(changed.exit.message).toMatch(/cannot run .*changed on disk/);
    } finally {
      await after.sessions.stopAll();
      lib.close();
    }
  });

  it('replaces the spare a run took only once the run is under way (its first output)', async () => {
    const { lib, ids: [id] } = await libraryWith(['stdio.wasm', 'echo']);
    const out: string[] = [];
    const sessions = new Sessions(lib, (name, payload) => {
      if (name === 'run.output') out.push(Buffer.from((payload as { data: Uint8Array }).data).toString());
    });
    try {
      for (let i = 0; i < 500 && sessions.spare.all.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(sessions.spare.all).toHaveLength(1);
      const info = sessions.start(id, ['echo'], 80, 24);
      expect(sessions.spare.all).toHaveLength(0);
      // The echo waits for its input: no output yet, no spare booted meanwhile.
      await new Promise((r) => setTimeout(r, 300));
      expect(out.join('')).toBe('');
      expect(sessions.spare.all).toHaveLength(0);
      sessions.input(info.runId, 'hi\r');
      for (let i = 0; i < 500 && sessions.spare.all.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(out.join('')).toContain('hi');
      expect(sessions.spare.all).toHaveLength(1);
      sessions.stop(info.runId);
    } finally {
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

describe('the window core', () => {
  it.skipIf(process.platform !== 'linux')('stops its spare workers when it closes', async () => {
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

describe('runs.warm: the pointer on a Run button', () => {
  it('compiles the app\'s module ahead, records nothing, and the Run after it reads and compiles nothing', async () => {
    const { lib, ids: [cat, other] } = await libraryWith(['e2e_cat.wasm', 'cat'], ['args_env.wasm', 'other']);
    const { sessions, run } = openSessions(lib);
    try {
      // A Run not warmed reads and compiles its module (what the marks below would show).
      expect((await run(other)).marks).toEqual(expect.arrayContaining(['module read and hashed', 'module compiled']));
      const app = lib.app(cat);
      expect(sessions.modules.has(app.sha256)).toBe(false);
      const before = sessions.modules.size.bytes;
      sessions.warm(cat);
      for (let i = 0; i < 500 && sessions.modules.size.bytes === before; i++) await new Promise((r) => setTimeout(r, 20));
      expect(sessions.modules.has(app.sha256)).toBe(true);
      expect(sessions.modules.size.bytes - before).toBe(fs.statSync(lib.store.pathOf(app.sha256)).size);
      expect(lib.app(cat).lastRunAt).toBeNull(); // nothing recorded
      expect(sessions.list()).toEqual([]); // nothing started
      sessions.warm(cat); // again: the same compiled module, not a second one
      expect(sessions.modules.size.entries).toBe(2);
      const { marks, exit } = await run(cat);
      expect(exit).toMatchObject({ outcome: 'exit' });
      expect(marks).not.toContain('module read and hashed');
      expect(marks).not.toContain('module compiled');
      // An app that is not installed is one clear error.
      expect(() => sessions.warm('no-such-app')).toThrow(expect.objectContaining({ code: 'not-found' }));
    } finally {
      await sessions.stopAll();
      lib.close();
    }
  });
});

describe('stored modules checked ahead of their first run (warm-runs.md round 8)', () => {
  /** Polls `cond` every 50 ms until it holds (the test's own timeout bounds it). */
  const until = async (cond: () => boolean): Promise<void> => {
    while (!cond()) await new Promise((r) => setTimeout(r, 50));
  };

  it('an app installed and never run has its module hashed once its file has settled and its signature recorded; its first Run then reads it by signature', async () => {
    const { api, home } = newApi();
    const id = await seed(api, fixture('proc.wasm'));
    const lib = Library.open(home);
    try {
      const sha = lib.app(id).sha256;
      // Just written: not trusted yet, nothing recorded.
      expect(moduleSignature(lib.db, sha)).toBeUndefined();
      await until(() => moduleSignature(lib.db, sha) !== undefined);
      const recorded = moduleSignature(lib.db, sha);
      expect(recorded).toBe(statSignature(fs.statSync(lib.store.pathOf(sha), { bigint: true })));
      // No run was recorded for it; the first Run runs it, and finds the signature as it was.
      expect(lib.app(id).lastRunAt).toBeNull();
      expect((await runInWindow(api, id, ['exit', '4'])).exit).toMatchObject({ outcome: 'exit', exitCode: 4 });
      expect(moduleSignature(lib.db, sha)).toBe(recorded);
    } finally {
      lib.close();
    }
  }, 20_000);

  it('a module changed on disk before it was checked ahead records no signature, and its Run is refused', async () => {
    const { api, home } = newApi();
    const good = await seed(api, fixture('stdio.wasm'));
    const bad = await seed(api, fixture('proc.wasm'));
    const lib = Library.open(home);
    try {
      const file = lib.store.pathOf(lib.app(bad).sha256);
      const bytes = fs.readFileSync(file);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
      fs.writeFileSync(file, bytes);
      // The other app's pass is done once its signature is there, and both files settled together.
      await until(() => moduleSignature(lib.db, lib.app(good).sha256) !== undefined);
      await new Promise((r) => setTimeout(r, SETTLE_MS / 2));
      expect(moduleSignature(lib.db, lib.app(bad).sha256)).toBeUndefined();
      const changed = await runInWindow(api, bad, ['exit', '4']);
      expect(changed.out).toBe('');
      expect(changed.exit).toMatchObject({ outcome: 'load-error', exitCode: null });
      expect(changed.exit.message).toMatch(/cannot run .*changed on disk/);
    } finally {
      lib.close();
    }
  }, 20_000);
});

describe('a cold module read, checked and compiled in its run\'s own worker (warm-runs.md round 10)', () => {
  const IN_WORKER = /^module read, checked and compiled in its worker/;

  /** Waits until `sessions` has a booted spare primed with nothing. */
  async function bootedSpare(sessions: Sessions): Promise<void> {
    const plain = (): boolean => sessions.spare.ready.some((w) => primedModule(w) === undefined);
    for (let i = 0; i < 500 && !plain(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(plain()).toBe(true);
  }

  /**
   * What this (the main) thread does with `file` while `body` runs: its opens (fs.openSync,
   * fs.promises.open, fs.readFileSync by name) and its WebAssembly compiles. A worker's own reads
   * and compiles are on its own thread, with its own `fs` and `WebAssembly`.
   */
  async function mainThreadUse<T>(file: string, body: () => Promise<T>): Promise<{ result: T; opens: number; compiles: number }> {
    const spies = [vi.spyOn(fs, 'openSync'), vi.spyOn(fs.promises, 'open'), vi.spyOn(fs, 'readFileSync')];
    const compile = vi.spyOn(WebAssembly, 'compile');
    try {
      const result = await body();
      const opens = spies.reduce((n, s) => n + s.mock.calls.filter((c) => String(c[0]) === file).length, 0);
      return { result, opens, compiles: compile.mock.calls.length };
    } finally {
      for (const s of [...spies, compile]) s.mockRestore();
    }
  }

  it('a cold Run given a booted spare: the main thread neither reads nor compiles the module; the module it posts back serves the next Run', async () => {
    const { lib, ids: [id] } = await libraryWith(['proc.wasm', 'proc']);
    const { sessions, run } = openSessions(lib);
    const app = lib.app(id);
    const file = lib.store.pathOf(app.sha256);
    try {
      await bootedSpare(sessions);
      const cold = await mainThreadUse(file, () => run(id, ['exit', '3']));
      expect(cold.result.out).toBe('exiting 3\n');
      expect(cold.result.exit).toMatchObject({ outcome: 'exit', exitCode: 3 });
      expect(cold.result.marks.some((m) => IN_WORKER.test(m))).toBe(true);
      expect(cold.result.marks).not.toContain('module read and hashed');
      expect(cold.opens).toBe(0);
      expect(cold.compiles).toBe(0);
      // Posted back into the cache: the next Run is warm, nothing read or compiled anywhere.
      expect(sessions.modules.has(app.sha256)).toBe(true);
      expect(sessions.modules.size.bytes).toBe(fs.statSync(file).size);
      await primedSpares(sessions);
      const warm = await mainThreadUse(file, () => run(id, ['exit', '4']));
      expect(warm.result.out).toBe('exiting 4\n');
      expect(warm.result.marks).toContain(PRIMED);
      expect(warm.result.marks.some((m) => IN_WORKER.test(m))).toBe(false);
      expect(warm.opens).toBe(0);
      expect(warm.compiles).toBe(0);
      expect(lib.history(id).map((r) => r.outcome)).toEqual(['exit', 'exit']);
    } finally {
      await sessions.stopAll();
      lib.close();
    }
  });

  it('a stored file changed on disk is refused by the worker, never run, and the run recorded as load-error', async () => {
    const { lib, ids: [id] } = await libraryWith(['proc.wasm', 'proc']);
    const { sessions, run } = openSessions(lib);
    const app = lib.app(id);
    const file = lib.store.pathOf(app.sha256);
    try {
      const other = fs.readFileSync(file);
      other[other.length - 1] = other[other.length - 1]! ^ 1;
      fs.writeFileSync(file, other);
      await bootedSpare(sessions);
      const changed = await mainThreadUse(file, () => run(id, ['exit', '3']));
      expect(changed.opens).toBe(0); // refused by the worker's check, not this thread's
      expect(changed.result.out).toBe('');
      expect(changed.result.exit).toMatchObject({ outcome: 'load-error', exitCode: null });
      expect(changed.result.exit.message).toMatch(/^cannot run proc: the stored module changed on disk \(expected sha256/);
      expect(lib.history(id)[0]).toMatchObject({ outcome: 'load-error' });
      expect(moduleSignature(lib.db, app.sha256)).toBeUndefined();
      expect(sessions.modules.has(app.sha256)).toBe(false);
    } finally {
      await sessions.stopAll();
      lib.close();
    }
  });

  it('a module whose memory is over the cap is refused in the worker with the message the main thread gives', async () => {
    // Its memory's minimum is 66 pages (4.1 MiB), over a 1 MiB cap.
    const { lib, ids: [id] } = await libraryWith(['iov_huge.wasm', 'big']);
    lib.grant(id, [{ kind: 'limit', name: 'memory-max-mib', value: 1 }]);
    const here = openSessions(lib);
    let message: string;
    try {
      const r = await here.run(id); // no spare booted yet: this thread's path
      expect(r.marks.some((m) => IN_WORKER.test(m))).toBe(false);
      expect(r.exit).toMatchObject({ outcome: 'load-error' });
      message = r.exit.message;
    } finally {
      await here.sessions.stopAll();
    }
    const there = openSessions(lib);
    try {
      await bootedSpare(there.sessions);
      const { result: r, compiles } = await mainThreadUse(lib.store.pathOf(lib.app(id).sha256), () => there.run(id));
      expect(compiles).toBe(0); // the worker's refusal
      expect(r.marks.some((m) => IN_WORKER.test(m))).toBe(false); // refused, not loaded
      expect(r.exit).toMatchObject({ outcome: 'load-error', message });
      expect(lib.history(id).map((h) => h.outcome)).toEqual(['load-error', 'load-error']);
    } finally {
      await there.sessions.stopAll();
      lib.close();
    }
  });

  it('runs.warm loads the module in a plain spare, which the Run then takes, primed, the main thread reading and compiling nothing', async () => {
    const { lib, ids: [id] } = await libraryWith(['args_env.wasm', 'env']);
    const { sessions, run } = openSessions(lib);
    const app = lib.app(id);
    const file = lib.store.pathOf(app.sha256);
    try {
      await bootedSpare(sessions);
      const r = await mainThreadUse(file, async () => {
        sessions.warm(id);
        for (let i = 0; i < 500 && sessions.spare.instantiated.length === 0; i++) await new Promise((res) => setTimeout(res, 20));
        expect(sessions.modules.has(app.sha256)).toBe(true);
        expect(lib.app(id).lastRunAt).toBeNull(); // nothing recorded
        return run(id, ['x']);
      });
      expect(r.result.out).toContain('argv[1]=x\n');
      expect(r.result.marks).toContain(PRIMED);
      expect(r.opens).toBe(0);
      expect(r.compiles).toBe(0);
    } finally {
      await sessions.stopAll();
      lib.close();
    }
  });
});

describe('a module loaded ahead by a spare (runs.warm) and the spares\' refill', () => {
  it('a spare loading or holding the module of the app under the pointer is not replaced as stale before its Run', async () => {
    const { lib, ids: [a, b] } = await libraryWith(['proc.wasm', 'a'], ['args_env.wasm', 'b']);
    const { sessions, run } = openSessions(lib);
    try {
      for (let i = 0; i < 500 && sessions.spare.ready.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await run(a, ['exit', '0']);
      // a's spare and a plain one.
      for (let i = 0; i < 500 && sessions.spare.ready.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      await primedSpares(sessions);
      // a again: its spare taken; the plain one is primed with a in its place and another plain one boots.
      await run(a, ['exit', '0']);
      for (let i = 0; i < 500 && sessions.spare.ready.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      // The pointer on b's Run while that plain spare boots: a booted spare loads b.
      sessions.warm(b);
      const loading = sessions.spare.all.find((w) => sessions.spare.ready.includes(w));
      // The plain one boots; the refill that follows must not end the spare holding b.
      for (let i = 0; i < 500 && sessions.spare.ready.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
      expect(sessions.spare.all).toContain(loading);
      const r = await run(b, ['x']);
      expect(r.out).toContain('argv[1]=x\n');
      expect(r.marks).toContain(PRIMED);
    } finally {
      await sessions.stopAll();
      lib.close();
    }
  });
});
