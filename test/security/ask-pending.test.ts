/**
 * Was a hole (secreview, 2026-12-08; fixed in launcher/asking.ts `decider`, which reads the standing
 * rules again once the answer comes): a "deny always" (or the app set to deny unknown access) recorded
 * while a question about that very path is on screen does not reach the run. The answer given to
 * the pending question lands after the revocation's `forgetAnswers` ran (which had nothing to take
 * back yet, so it did not even raise the ask generation), is remembered by the run on both sides
 * (run.ts `allowedAnswers`, ask.ts `workerAsker`'s `decided`), and every later access of the run to
 * that path goes through without asking, although the library now says "never" for it
 * (DESIGN §3.1 "Revocation reaches every running run of the app"; launcher/revocation.ts).
 *
 * Real run: test/fixtures/ask_probe (ordinary libc fopen), ask mode, the person's prompt answering
 * "allow once" to the first read after the denial was recorded (as a second window or a
 * `terrarium` command in another terminal would). The run's second read of the same file must be
 * refused (wasi-libc EACCES is errno 2) and its content must not reach the guest a second time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Answer, Question } from '../../main/launcher/asking.ts';
import { prepareRun } from '../../main/launcher/launch.ts';
import { startRun } from '../../main/runtime/run.ts';
import { Library } from '../../main/library/library.ts';
import { fixture } from '../helpers/paths.ts';
import { realTempDir, removeTempDirs } from '../helpers/temp.ts';

afterEach(removeTempDirs);
const EACCES = 2;

async function runTwoReads(takeAway: (lib: Library, appId: string, folder: string) => void): Promise<{ out: string; asked: string[]; lib: Library; appId: string; secret: string }> {
  const lib = Library.open(realTempDir('secreview-home'));
  const { app } = await lib.install({ kind: 'file', path: fixture('ask_probe') });
  const outside = realTempDir('secreview-outside');
  const secret = path.join(outside, 'secret.txt');
  fs.writeFileSync(secret, 'CANARY');
  const run = prepareRun(lib, app.name, [`read:${secret}`, `read:${secret}`]);
  const asked: string[] = [];
  let out = '';
  const prompter = async (q: Question): Promise<Answer> => {
    asked.push(`${q.operation} ${q.path}`);
    // While the question is on screen, the person (another window, another process) says
    // "never" for the folder; then the prompt is answered.
    if (asked.length === 1) takeAway(lib, app.id, outside);
    await new Promise((r) => setTimeout(r, 20));
    return 'allow-once';
  };
  const handle = startRun({
    module: await run.module, args: run.args, env: [], preopens: run.preopens,
    onOutput: (_s, d) => { out += Buffer.from(d).toString(); },
    onAsk: run.onAsk(prompter),
  });
  run.follow(handle, run.preopens);
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  return { out, asked, lib, appId: app.id, secret };
}

test('a "deny always" recorded while the question is pending holds for the rest of the run', async () => {
  const { out, lib, appId, secret } = await runTwoReads((l, id, folder) => l.denyAlways(id, folder));
  expect(lib.denials(appId)).toHaveLength(1);
  const lines = out.trim().split('\n');
  // The second read of the run, after the denial was on record: refused, canary never seen again.
  expect(lines.at(-1)).toBe(`read ${secret} errno=${EACCES}`);
  expect(out.split('CANARY').length - 1).toBeLessThanOrEqual(1);
  lib.close();
});

test("an app set to 'deny' while a question is pending is asked nothing more and allowed nothing more", async () => {
  const { out, lib, secret } = await runTwoReads((l, id) => l.setUnknownAccess(id, 'deny'));
  const lines = out.trim().split('\n');
  expect(lines.at(-1)).toBe(`read ${secret} errno=${EACCES}`);
  expect(out.split('CANARY').length - 1).toBeLessThanOrEqual(1);
  lib.close();
});
