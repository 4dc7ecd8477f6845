/**
 * Revocation reaches every run, from any process (issue 9, point 5). Process A runs an installed
 * app (test/fixtures/revoke_loop.c, reading files in a loop) through the CLI or through the API
 * (launcher sessions); process B, a second Terrarium process on the same library, runs
 * `terrarium revoke` or `terrarium reset`, or records a "deny always". A's guest must see EACCES
 * (wasi-libc errno 2) at its next access, within 1 s of B's commit, and keep running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Api, createApi } from '../../main/api/index.ts';
import { Library } from '../../main/library/library.ts';
import type { Events, PromptRequest, RunExit, SessionInfo } from '../../preload/api.ts';
import { cli, nodeBin, repoRoot, spawnCli } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { tempDir } from '../helpers/temp.ts';

const EACCES = 2;
const WITHIN_MS = 1000;
const dirs: string[] = [];
const children: ChildProcess[] = [];
const apis: Api[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const a of apis.splice(0)) a.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const dir = (label: string): string => {
  const d = fs.realpathSync(tempDir(`terrarium-revoke-${label}-`));
  dirs.push(d);
  return d;
};

/** Text that arrives over time, with the moment each part arrived. */
class Transcript {
  text = '';
  private arrivals: { end: number; at: number }[] = [];
  private waiters: { re: RegExp; resolve: (at: number) => void }[] = [];
  add(chunk: string): void {
    this.text += chunk;
    this.arrivals.push({ end: this.text.length, at: performance.now() });
    this.waiters = this.waiters.filter((w) => {
      const at = this.matchedAt(w.re);
      if (at !== undefined) w.resolve(at);
      return at === undefined;
    });
  }
  /** When the text first matched `re` (the arrival of the chunk that completed the match). */
  private matchedAt(re: RegExp): number | undefined {
    const m = re.exec(this.text);
    if (!m) return undefined;
    const end = m.index + m[0].length;
    return this.arrivals.find((a) => a.end >= end)!.at;
  }
  /** Resolves with the time `re` first matched (rejects after `ms`). */
  when(re: RegExp, ms: number): Promise<number> {
    const at = this.matchedAt(re);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${re} within ${ms} ms; got ${JSON.stringify(this.text)}`)), ms);
      this.waiters.push({ re, resolve: (t) => (clearTimeout(timer), resolve(t)) });
    });
  }
}

/** A library in a fresh home with revoke_loop installed and `folder` granted read-only. */
async function setUp(folder?: string): Promise<{ home: string; appId: string }> {
  const home = dir('home');
  const lib = Library.open(home);
  try {
    const app = (await lib.install({ kind: 'file', path: fixture('revoke_loop.wasm') })).app;
    if (folder) lib.grant(app.id, [{ kind: 'folder', host: folder, guest: folder, access: 'read' }]);
    return { home, appId: app.id };
  } finally {
    lib.close();
  }
}

/** Runs a process B to its end; resolves with the time it ended (after its commit). */
async function processB(home: string, args: string[]): Promise<number> {
  const r = await cli(home, args);
  expect(r.code, r.stderr).toBe(0);
  return performance.now();
}

/** Process B recording "deny always" for `p`, as a prompt answered in another window would. */
function denyAlwaysElsewhere(home: string, appId: string, p: string): Promise<number> {
  const lib = path.join(repoRoot, 'main', 'library', 'library.ts');
  const code = `import { Library } from ${JSON.stringify(lib)}; const l = Library.open(${JSON.stringify(home)}); l.denyAlways(${JSON.stringify(appId)}, ${JSON.stringify(p)}); l.close();`;
  const child = spawn(nodeBin, ['--input-type=module', '-e', code], { stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => (c === 0 ? resolve(performance.now()) : reject(new Error(`process B exited ${c}`))));
  });
}

function secretIn(folder: string): string {
  const f = path.join(folder, 'secret.txt');
  fs.writeFileSync(f, 'secret');
  return f;
}

describe('a run started by `terrarium run APP` in process A', () => {
  for (const change of ['revoke', 'reset'] as const) {
    it(`loses a granted folder at its next access when process B runs \`terrarium ${change}\``, async () => {
      const data = dir('data');
      const file = secretIn(data);
      const { home } = await setUp(data);
      const a = spawnCli(home, ['run', 'revoke_loop', '--', file]);
      children.push(a);
      const out = new Transcript();
      a.stdout!.on('data', (b: Buffer) => out.add(b.toString()));
      let stderr = '';
      a.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
      const exited = new Promise<number | null>((r) => a.on('close', r));
      await out.when(new RegExp(`^${file} ok$`, 'm'), 20_000);
      const committed = await processB(home, change === 'revoke' ? ['revoke', 'revoke_loop', '--dir', data] : ['reset', 'revoke_loop']);
      const denied = await out.when(new RegExp(`^${file} errno ${EACCES}$`, 'm'), 5000);
      console.log(`denied ${(denied - committed).toFixed(0)} ms after process B ended (its commit comes earlier)`);
    expect(denied - committed).toBeLessThan(WITHIN_MS);
      expect(await exited, stderr).toBe(0);
      expect(out.text).toBe(`${file} ok\n${file} errno ${EACCES}\nstill running\n`);
    }, 60_000);
  }
});

describe('a run started through the API (launcher sessions) in process A', () => {
  function core(home: string) {
    const api = createApi({ transport: 'web', home });
    apis.push(api);
    const output = new Map<string, Transcript>();
    const exits = new Map<string, RunExit>();
    const prompts: PromptRequest[] = [];
    api.onEvent(<K extends keyof Events>(name: K, payload: Events[K]) => {
      if (name === 'run.output') {
        const p = payload as Events['run.output'];
        if (!output.has(p.runId)) output.set(p.runId, new Transcript());
        output.get(p.runId)!.add(Buffer.from(p.data).toString('utf8'));
      } else if (name === 'run.exit') exits.set((payload as RunExit).runId, payload as RunExit);
      else if (name === 'prompt.request') prompts.push(payload as PromptRequest);
    });
    const start = async (args: string[]): Promise<{ out: Transcript; exit: () => Promise<RunExit> }> => {
      const r = await api.handle('runs.start', { ref: 'revoke_loop', args, cols: 80, rows: 24 });
      if (!r.ok) throw new Error(r.message);
      const { runId } = r.value as SessionInfo;
      if (!output.has(runId)) output.set(runId, new Transcript());
      const exit = async (): Promise<RunExit> => {
        for (let i = 0; i < 600 && !exits.has(runId); i++) await new Promise((res) => setTimeout(res, 50));
        return exits.get(runId)!;
      };
      return { out: output.get(runId)!, exit };
    };
    return { api, start, prompts };
  }

  it('loses a granted folder when process B runs `terrarium revoke`', async () => {
    const data = dir('data');
    const file = secretIn(data);
    const { home } = await setUp(data);
    const { start } = core(home);
    const run = await start([file]);
    await run.out.when(/ok\r?\n/, 20_000);
    const committed = await processB(home, ['revoke', 'revoke_loop', '--dir', data]);
    const denied = await run.out.when(new RegExp(`errno ${EACCES}`), 5000);
    console.log(`denied ${(denied - committed).toFixed(0)} ms after process B ended (its commit comes earlier)`);
    expect(denied - committed).toBeLessThan(WITHIN_MS);
    expect(await run.exit()).toMatchObject({ outcome: 'exit', exitCode: 0 });
    expect(run.out.text.replace(/\r/g, '')).toBe(`${file} ok\n${file} errno ${EACCES}\nstill running\n`);
  }, 60_000);

  it('takes back an allow answer that a "deny always" from process B covers, and only that one', async () => {
    const secrets = dir('secrets');
    const other = dir('other');
    const file = secretIn(secrets);
    const kept = secretIn(other);
    const { home, appId } = await setUp();
    const { api, start, prompts } = core(home);
    const run = await start([file, kept]);
    // Both files are outside every grant: the person allows each once.
    for (let n = 1; n <= 2; n++) {
      for (let i = 0; i < 400 && prompts.length < n; i++) await new Promise((res) => setTimeout(res, 50));
      const r = await api.handle('prompt.answer', { promptId: prompts[n - 1]!.promptId, answer: 'allow-once' });
      expect(r.ok).toBe(true);
    }
    await run.out.when(new RegExp(`${kept} ok`), 20_000);
    const committed = await denyAlwaysElsewhere(home, appId, secrets);
    const denied = await run.out.when(new RegExp(`${file} errno ${EACCES}`), 5000);
    console.log(`denied ${(denied - committed).toFixed(0)} ms after process B ended (its commit comes earlier)`);
    expect(denied - committed).toBeLessThan(WITHIN_MS);
    expect(await run.exit()).toMatchObject({ outcome: 'exit', exitCode: 0 });
    // The other answer still holds, without asking the person again.
    expect(run.out.text.replace(/\r/g, '')).toBe(`${file} ok\n${kept} ok\n${file} errno ${EACCES}\nstill running\n`);
    expect(prompts).toHaveLength(2);
  }, 60_000);
});
