/**
 * Adversarial review (secreview): warm runs in the window must not carry anything of one app's run
 * into another's (docs/design/warm-runs.md). The same module installed as two apps shares one
 * cached compiled module (keyed by SHA-256) and so a spare primed with it; app A is granted a
 * folder holding a canary as /data, app B another folder as /data. B's run, handed the spare primed
 * with the shared module after A's, must see B's folder only, and reach A's folder neither by the
 * guest name nor by its host path (B denies unknown access). A's write through its grant must not
 * happen in B's folder. Real runs of test/fixtures/ask_probe (libc fopen/opendir).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createApi } from '../../main/api/index.ts';
import { Library } from '../../main/library/library.ts';
import { startTrace } from '../../main/launcher/warm.ts';
import { Sessions } from '../../main/launcher/sessions.ts';
import { primedModule } from '../../main/runtime/run.ts';
import type { RunExit } from '../../preload/api.ts';
import { fixture, seed } from '../helpers/e2e/harness.ts';
import { realTempDir, removeTempDirs } from '../helpers/temp.ts';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
  removeTempDirs();
});

const EACCES = 2;
const ENOENT = 44;
const ENOTCAPABLE = 76;
const PRIMED = 'worker handed the run (primed with its module)';

it('a spare primed with a module two apps share runs app B with B\'s grants only, never A\'s', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-secreview-warm-'));
  homes.push(home);
  const api = createApi({ transport: 'web', home });
  const a = await seed(api, fixture('ask_probe.wasm'), 'probe-a');
  const b = await seed(api, fixture('ask_probe.wasm'), 'probe-b');
  await api.close();
  const lib = Library.open(home);
  expect(lib.app(a).sha256).toBe(lib.app(b).sha256);
  const fa = realTempDir('secreview-a');
  const fb = realTempDir('secreview-b');
  fs.writeFileSync(path.join(fa, 'secret.txt'), 'CANARY_A');
  fs.writeFileSync(path.join(fb, 'secret.txt'), 'plain_b');
  lib.grant(a, [{ kind: 'folder', host: fa, guest: '/data', access: 'read-write' }]);
  lib.grant(b, [{ kind: 'folder', host: fb, guest: '/data', access: 'read' }]);
  lib.setUnknownAccess(a, 'deny');
  lib.setUnknownAccess(b, 'deny');

  const out = new Map<string, string>();
  const exits = new Map<string, (e: RunExit) => void>();
  const sessions = new Sessions(lib, (name, payload) => {
    const p = payload as { runId: string; data?: Uint8Array };
    if (name === 'run.output') out.set(p.runId, (out.get(p.runId) ?? '') + Buffer.from(p.data!).toString());
    if (name === 'run.exit') exits.get(p.runId)?.(payload as RunExit);
  });
  const run = async (id: string, args: string[]): Promise<{ text: string; marks: string[] }> => {
    const marks: string[] = [];
    startTrace.mark = (step) => marks.push(step);
    try {
      let info!: { runId: string };
      await new Promise<RunExit>((r) => {
        info = sessions.start(id, args, 80, 24);
        exits.set(info.runId, r);
      });
      return { text: out.get(info.runId) ?? '', marks };
    } finally {
      startTrace.mark = undefined;
    }
  };
  try {
    const first = await run(a, ['read:/data/secret.txt', 'create:/data/made-by-a']);
    expect(first.text).toContain('content /data/secret.txt CANARY_A\n');
    expect(first.text).toContain('create /data/made-by-a ok\n');
    // A spare primed with the shared module (the very object the cache hands B's run).
    for (let i = 0; i < 500 && !sessions.spare.ready.some((w) => primedModule(w) !== undefined); i++) await new Promise((r) => setTimeout(r, 20));
    const second = await run(b, [
      'read:/data/secret.txt', 'read:/data/made-by-a', 'create:/data/made-by-b', `read:${fa}/secret.txt`, `list:${fa}`,
    ]);
    expect(second.marks).toContain(PRIMED);
    expect(second.text).toContain('content /data/secret.txt plain_b\n');
    expect(second.text).toContain(`read /data/made-by-a errno=${ENOENT}\n`);
    // B's grant is read-only and B denies unknown access: no question, no write.
    expect(second.text).toContain(`create /data/made-by-b errno=${ENOTCAPABLE}\n`);
    expect(second.text).toContain(`read ${fa}/secret.txt errno=${EACCES}\n`);
    expect(second.text).toContain(`list ${fa} errno=${EACCES}\n`);
    expect(second.text).not.toContain('CANARY_A');
    expect(fs.readdirSync(fb).sort()).toEqual(['secret.txt']);
    expect(fs.readdirSync(fa).sort()).toEqual(['made-by-a', 'secret.txt']);
  } finally {
    await sessions.stopAll();
    lib.close();
  }
});
