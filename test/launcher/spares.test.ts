/**
 * Spare run workers (issue 14.4): booted ahead of time, each primed with one of the modules run
 * most recently, handed to the next run, replaced once that run is under way, none leaked.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SpareWorker } from '../../main/launcher/spares.ts';
import { loadCommand } from '../../main/runtime/load.ts';
import { primedModule, startRun } from '../../main/runtime/run.ts';
import type { Program } from '../../main/runtime/p2/program.ts';
import { Filetype } from '../../main/runtime/abi.ts';
import { fixture } from '../helpers/e2e/harness.ts';

/** Waits (polling) until `cond` holds, up to 10 s. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(cond()).toBe(true);
}

/** Runs `module` with `args` in worker `w`; its stdout and exit code. */
async function runIn(w: ReturnType<SpareWorker['take']>, module: Program, args: string[]): Promise<{ out: string; code: number | undefined }> {
  const chunks: Uint8Array[] = [];
  const run = startRun({ module, args, env: [], preopens: [], onOutput: (_s, d) => chunks.push(d.slice()) }, w);
  const o = await run.done;
  return { out: Buffer.concat(chunks).toString(), code: o.kind === 'exit' ? o.code : undefined };
}

/** Two spares' worth of policy (no idle stop, no floor, no refill delay) and the two fixture programs a and b, compiled. */
async function twoApps(): Promise<{ spares: SpareWorker; a: Promise<Program>; b: Promise<Program>; ma: Program; mb: Program }> {
  const spares = new SpareWorker({ idleMs: 60_000, minFreeBytes: 0, refillDelayMs: 0, count: 2 });
  const a = loadCommand(fs.readFileSync(fixture('proc.wasm')));
  const b = loadCommand(fs.readFileSync(fixture('args_env.wasm')));
  const [ma, mb] = await Promise.all([a, b]);
  return { spares, a, b, ma, mb };
}

describe('SpareWorker, several spares', () => {
  it('keeps one spare primed with each of the modules run last, and hands a run the one primed with its module', async () => {
    const spares = new SpareWorker({ idleMs: 60_000, minFreeBytes: 0, refillDelayMs: 0, count: 2 });
    const a = loadCommand(fs.readFileSync(fixture('proc.wasm')));
    const b = loadCommand(fs.readFileSync(fixture('args_env.wasm')));
    const c = loadCommand(fs.readFileSync(fixture('stdio.wasm')));
    const [ma, mb, mc] = await Promise.all([a, b, c]);
    // Only booted spares count: a run is handed a booted one before one still booting.
    const primedWith = (): (Program | undefined)[] => spares.ready.map((w) => primedModule(w));
    try {
      spares.expect([a, b]);
      await until(() => primedWith().includes(ma) && primedWith().includes(mb));
      expect(spares.all).toHaveLength(2);

      const wa = spares.take(a);
      expect(primedModule(wa!)).toBe(ma);
      expect(await runIn(wa, ma, ['proc', 'exit', '4'])).toEqual({ out: 'exiting 4\n', code: 4 });
      // Replaced: a again, b still there.
      await until(() => spares.ready.length === 2 && primedWith().includes(ma) && primedWith().includes(mb));

      const wb = spares.take(b);
      expect(primedModule(wb!)).toBe(mb);
      expect((await runIn(wb, mb, ['args_env', 'x'])).out).toContain('argv[1]=x\n');
      await until(() => spares.ready.length === 2 && primedWith().includes(ma) && primedWith().includes(mb));

      // A third module takes the spare of the one run least recently (a), whose instance it does
      // not use; the spares then follow c and b.
      const wc = spares.take(c);
      expect(primedModule(wc!)).toBe(ma);
      await until(() => spares.ready.length === 2 && primedWith().includes(mc) && primedWith().includes(mb));
      await wc!.terminate();
    } finally {
      await spares.close();
    }
    expect(spares.all).toHaveLength(0);
  });

  it('keeps a plain spare beside the one primed with the only module run, so the next app\'s run finds a booted worker', async () => {
    const { spares, a, b, ma, mb } = await twoApps();
    try {
      spares.expect([a]);
      await until(() => spares.ready.length === 2);
      expect(spares.ready.map((w) => primedModule(w))).toEqual([ma, undefined]);
      // a's run takes a's spare; b's run, right after, is handed the other one, booted.
      const wa = spares.take(a);
      expect(primedModule(wa!)).toBe(ma);
      const booted = spares.ready;
      const wb = spares.take(b);
      expect(wb).toBeDefined();
      expect(booted).toContain(wb);
      expect((await runIn(wb, mb, ['args_env', 'v'])).out).toContain('argv[1]=v\n');
      await wa!.terminate();
    } finally {
      await spares.close();
    }
  });

  it('hands a run a spare that has booted rather than one still booting, even one primed with its module', async () => {
    const { spares, a, b, ma, mb } = await twoApps();
    try {
      spares.expect([a]);
      await until(() => spares.ready.length === 1 && primedModule(spares.ready[0]!) === ma);
      const first = spares.ready[0]!;
      spares.expect([b]); // a second spare, for b, starts booting (a boot takes tens of ms)
      await new Promise((r) => setTimeout(r, 5));
      expect(spares.all).toHaveLength(2);
      expect(spares.ready).toEqual([first]);
      const w = spares.take(b);
      expect(w).toBe(first);
      // Its instance is a's: the run of b instantiates anew, and runs b.
      expect((await runIn(w, mb, ['args_env', 'y'])).out).toContain('argv[1]=y\n');
    } finally {
      await spares.close();
    }
  });

  it('boots one spare at a time, the one for the module run last first', async () => {
    const { spares, a, b, ma, mb } = await twoApps();
    try {
      spares.expect([a, b]);
      await until(() => spares.all.length > 0);
      expect(spares.all).toHaveLength(1);
      const first = spares.all[0]!;
      await until(() => spares.instantiated.length === 2);
      expect(primedModule(first)).toBe(ma);
      expect(spares.all.map((w) => primedModule(w))).toEqual([ma, mb]);
    } finally {
      await spares.close();
    }
  });

  it('primes no spare while a run is starting, and says when a primed instance is made', async () => {
    const { spares, a, b, ma, mb } = await twoApps();
    try {
      spares.expect([a, b]); // a's spare boots, then b's
      for (let i = 0; i < 10_000 && spares.all.length < 2; i++) await new Promise((r) => setTimeout(r, 1));
      expect(spares.ready).toHaveLength(1); // b's is still booting
      let underWay!: () => void;
      const w = spares.take(a, new Promise<void>((r) => (underWay = r)));
      expect(w).toBeDefined();
      // The other spare (b's) boots, but is not handed b's module while a's run starts: its
      // instantiation would take CPU from the run.
      await until(() => spares.ready.length === 1);
      await new Promise((r) => setTimeout(r, 200));
      const other = spares.all[0]!;
      expect(primedModule(other)).toBeUndefined();
      expect(spares.instantiated).toEqual([]);
      underWay();
      await until(() => spares.instantiated.includes(other));
      expect(primedModule(other)).toBe(mb);
      // A run handed it is told (diagnostics) that its instance was ready; b's run uses it.
      const wb = spares.take(b);
      expect(wb).toBe(other);
      expect(spares.wasReady(wb!)).toBe(true);
      expect((await runIn(wb, mb, ['args_env', 'z'])).out).toContain('argv[1]=z\n');
      expect((await runIn(w, ma, ['proc', 'exit', '5'])).code).toBe(5);
    } finally {
      await spares.close();
    }
  });

  it('a primed spare (its run path warmed up once, guest.ts warmRun) runs exactly as a fresh worker does', async () => {
    const spares = new SpareWorker({ idleMs: 60_000, minFreeBytes: 0, refillDelayMs: 0, count: 1 });
    const loaded = loadCommand(fs.readFileSync(fixture('stdio.wasm')));
    const mod = await loaded;
    const run = async (args: string[], w?: ReturnType<SpareWorker['take']>): Promise<string> => {
      const chunks: [Buffer[], Buffer[]] = [[], []];
      const h = startRun({
        module: mod, args, env: [], preopens: [], stdioTypes: [Filetype.regular_file, Filetype.regular_file, Filetype.regular_file],
        onOutput: (stream, d) => chunks[stream - 1]!.push(Buffer.from(d)),
      }, w);
      const o = await h.done;
      expect(o).toEqual({ kind: 'exit', code: 0 });
      return chunks.map((c) => Buffer.concat(c).toString('latin1')).join('\n-- stderr --\n');
    };
    try {
      for (const args of [['stdio', 'info'], ['stdio', 'pattern']]) {
        spares.expect([loaded]);
        await until(() => spares.ready.length === 1 && spares.instantiated.length === 1);
        const w = spares.take(loaded);
        expect(primedModule(w!)).toBe(mod);
        expect(await run(args, w)).toBe(await run(args));
      }
    } finally {
      await spares.close();
    }
  });

  it('replaces a spare only once the run that took it is under way', async () => {
    const spares = new SpareWorker({ idleMs: 60_000, minFreeBytes: 0, refillDelayMs: 0, count: 1 });
    try {
      spares.fill();
      await until(() => spares.all.length === 1);
      let underWay!: () => void;
      const w = spares.take(undefined, new Promise<void>((r) => (underWay = r)));
      expect(w).toBeDefined();
      await new Promise((r) => setTimeout(r, 200));
      expect(spares.all).toHaveLength(0);
      underWay();
      await until(() => spares.all.length === 1);
      await w!.terminate();
    } finally {
      await spares.close();
    }
  });
});

describe('SpareWorker', () => {
  it('boots one spare, hands it to a run that produces the right output, replaces it, and leaks none at close', async () => {
    const spare = new SpareWorker({ idleMs: 60_000, minFreeBytes: 0, refillDelayMs: 0, count: 1 });
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
    const short = new SpareWorker({ idleMs: 60_000, minFreeBytes: 1024, refillDelayMs: 0, count: 1 }, () => 10);
    short.fill();
    await new Promise((r) => setTimeout(r, 30));
    expect(short.current).toBeUndefined();
    await short.close();

    const idle = new SpareWorker({ idleMs: 100, minFreeBytes: 0, refillDelayMs: 0, count: 1 });
    idle.fill();
    await new Promise((r) => setTimeout(r, 20));
    const w = idle.current!;
    expect(w).toBeDefined();
    const exited = new Promise((r) => w.once('exit', r));
    await exited;
    expect(idle.current).toBeUndefined();
    await idle.close();
  });
});
