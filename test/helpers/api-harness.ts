/**
 * Shared set-up for the API tests: a core over a fresh data folder with its events recorded, and
 * small helpers around `handle`. Every data folder is a new mkdtemp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { type Api, createApi } from '../../main/api/index.ts';
import type { Events, PromptRequest, RunExit } from '../../preload/api.ts';

export { FIXTURES, fixture } from './paths.ts';
const temps: string[] = [];
export const tmp = (p: string): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), p));
  temps.push(d);
  return d;
};

export type Ev = { name: keyof Events; payload: unknown };
export interface Harness { api: Api; events: Ev[] }
/** Cores closed after each test (remove one to keep it longer). */
export const open: Api[] = [];

export function fresh(): Harness {
  const api = createApi({ transport: 'web', home: tmp('terrarium-api-home-') });
  open.push(api);
  const events: Ev[] = [];
  // Output is lent for the event only (its buffer is reused: main/runtime/output-pool.ts): kept as a copy.
  api.onEvent((name, payload) => events.push({ name, payload: name === 'run.output' ? { ...(payload as object), data: new Uint8Array((payload as { data: Uint8Array }).data) } : payload }));
  return { api, events };
}

export async function ok<T>(api: Api, name: string, args: unknown): Promise<T> {
  const r = await api.handle(name, args);
  if (!r.ok) throw new Error(`${name} failed: ${r.code}: ${r.message}`);
  return r.value as T;
}

export async function code(api: Api, name: string, args: unknown): Promise<string> {
  const r = await api.handle(name, args);
  return r.ok ? 'ok' : r.code;
}

export async function install(api: Api, file: string, name?: string): Promise<string> {
  const p = await ok<{ previewId: string }>(api, 'install.preview', { source: { kind: 'file', path: file } });
  return (await ok<{ app: { id: string } }>(api, 'install.confirm', { previewId: p.previewId, name })).app.id;
}

export async function until<T>(f: () => T | undefined, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const outputOf = (h: Harness, runId: string): string =>
  h.events.filter((e) => e.name === 'run.output' && (e.payload as { runId: string }).runId === runId)
    .map((e) => Buffer.from((e.payload as { data: Uint8Array }).data).toString('utf8')).join('');
export const exitOf = (h: Harness, runId: string): RunExit | undefined =>
  h.events.find((e) => e.name === 'run.exit' && (e.payload as RunExit).runId === runId)?.payload as RunExit | undefined;
export const changedCount = (h: Harness): number => h.events.filter((e) => e.name === 'apps.changed').length;

/** A core over a fresh data folder that records prompts, terminal output and exits (by run id). */
export function recordingCore(opts: { promptTimeoutMs?: number } = {}) {
  const api = createApi({ transport: 'web', home: tmp('terrarium-api-home-'), promptTimeoutMs: opts.promptTimeoutMs });
  open.push(api);
  const prompts: PromptRequest[] = [];
  const output = new Map<string, string>();
  const exits = new Map<string, RunExit>();
  api.onEvent(<K extends keyof Events>(name: K, payload: Events[K]) => {
    if (name === 'prompt.request') prompts.push(payload as PromptRequest);
    if (name === 'run.output') {
      const p = payload as Events['run.output'];
      output.set(p.runId, (output.get(p.runId) ?? '') + Buffer.from(p.data).toString('utf8'));
    }
    if (name === 'run.exit') exits.set((payload as RunExit).runId, payload as RunExit);
  });
  return { api, prompts, output, exits };
}

/** Closes the cores after each test and removes the folders after the file. */
export function useCleanup(): void {
  afterEach(() => {
    for (const a of open.splice(0)) a.close();
  });
  afterAll(() => {
    for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
}
