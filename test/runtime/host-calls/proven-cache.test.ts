/**
 * A passed self-test is remembered between processes (host-calls/proven-cache.ts): the next
 * process on the same host setup loads the native calls without testing them again; anything in
 * the key changed (here the record's content), or TERRARIUM_SELF_TEST=always, and it tests again.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';

const child = path.join(import.meta.dirname, 'proven-child.ts');
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-proven-'));
afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

function run(env: Record<string, string> = {}): { kind: string; note: string | null; selfTests: number } {
  const base: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache };
  for (const k of ['NODE_COMPILE_CACHE', 'TERRARIUM_HOST_CALLS', 'TERRARIUM_RESOLVER', 'TERRARIUM_SELF_TEST']) delete base[k];
  const r = spawnSync(process.execPath, [child], { encoding: 'utf8', env: { ...base, ...env } });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

test.runIf(process.platform === 'linux' || process.platform === 'darwin')(
  'the self-test runs once per host setup, not once per process',
  () => {
    expect(run()).toEqual({ kind: 'native', note: null, selfTests: 1 });
    const records = fs.readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f).startsWith('proven-'));
    expect(records).toHaveLength(1);
    expect(run()).toEqual({ kind: 'native', note: null, selfTests: 0 });
    expect(run({ TERRARIUM_SELF_TEST: 'always' })).toEqual({ kind: 'native', note: null, selfTests: 1 });
    // A record that does not hold this setup's key proves nothing.
    const file = path.join(cache, records[0]!);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/abi \d+/, 'abi 0'));
    expect(run()).toEqual({ kind: 'native', note: null, selfTests: 1 });
    expect(run()).toEqual({ kind: 'native', note: null, selfTests: 0 });
  },
);
