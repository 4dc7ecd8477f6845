/**
 * Adversarial review (secreview): ask answers and revocation, the cases that hold. Companion of
 * ask-pending.test.ts (the same run with the denial made while the question is pending).
 * A real run of test/fixtures/ask_probe in ask mode reads a file outside every grant twice; the
 * person allows the first read once. A "deny always" or the deny mode recorded *after* that answer
 * takes the remembered allow away: the second read is refused (wasi-libc EACCES, errno 2) and the
 * canary's content reaches the guest once only.
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

/** Two reads of a canary outside every grant, the first allowed once; `afterFirst` runs once its answer is given. */
async function twoReads(afterFirst: (lib: Library, appId: string, folder: string) => void): Promise<{ out: string; asked: string[]; lib: Library; secret: string }> {
  const lib = Library.open(realTempDir('secreview-home'));
  const { app } = await lib.install({ kind: 'file', path: fixture('ask_probe') });
  const outside = realTempDir('secreview-outside');
  const secret = path.join(outside, 'secret.txt');
  fs.writeFileSync(secret, 'CANARY');
  // Between the reads the guest waits for a line on stdin: the test takes the access away then.
  const run = prepareRun(lib, app.name, [`read:${secret}`, 'wait:-', `read:${secret}`]);
  const asked: string[] = [];
  let out = '';
  const prompter = async (q: Question): Promise<Answer> => {
    asked.push(`${q.operation} ${q.path}`);
    return 'allow-once';
  };
  let waiting!: () => void;
  const waited = new Promise<void>((r) => (waiting = r));
  const handle = startRun({
    module: await run.module, args: run.args, env: [], preopens: run.preopens,
    onOutput: (_s, d) => {
      out += Buffer.from(d).toString();
      if (out.includes('waiting\n')) waiting();
    },
    onAsk: run.onAsk(prompter),
  });
  run.follow(handle, run.preopens);
  await waited;
  afterFirst(lib, app.id, outside);
  await handle.writeStdin(Buffer.from('go\n'));
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  return { out, asked, lib, secret };
}

test('a "deny always" recorded after an allow-once answer takes it away from the running run', async () => {
  const { out, asked, lib, secret } = await twoReads((l, id, folder) => l.denyAlways(id, folder));
  expect(out).toContain(`content ${secret} CANARY\n`);
  expect(out.trim().split('\n').at(-1)).toBe(`read ${secret} errno=${EACCES}`);
  expect(out.split('CANARY').length - 1).toBe(1);
  expect(asked).toEqual([`read ${secret}`]); // the denial answers; the person is not asked again
  lib.close();
});

test("the app set to 'deny' after an allow-once answer: the next access is refused without asking", async () => {
  const { out, asked, lib, secret } = await twoReads((l, id) => l.setUnknownAccess(id, 'deny'));
  expect(out.trim().split('\n').at(-1)).toBe(`read ${secret} errno=${EACCES}`);
  expect(out.split('CANARY').length - 1).toBe(1);
  expect(asked).toEqual([`read ${secret}`]);
  lib.close();
});

test('with nothing taken away the allow-once answer holds for the run, asked once (the control)', async () => {
  const { out, asked, lib, secret } = await twoReads(() => undefined);
  expect(out.split('CANARY').length - 1).toBe(2);
  expect(asked).toEqual([`read ${secret}`]);
  lib.close();
});
