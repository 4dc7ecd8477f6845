/**
 * Ask mode on the WASI 0.2 host (issue 15.4): an installed natively-0.2 component
 * (test/fixtures/components/notes.component.wasm, no preview1 adapter) with a read-only and a
 * read-write folder grant works inside them unasked, and a path outside them is asked about with
 * the real operation and path; an allow lets exactly that through, a deny fails it (`access`), and
 * both land in the audit, as for a preview1 app.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Answer } from '../../main/launcher/asking.ts';
import { prepareRun } from '../../main/launcher/launch.ts';
import { Library } from '../../main/library/library.ts';
import { startRun } from '../../main/runtime/run.ts';

const repo = path.resolve(import.meta.dirname, '..', '..');
const notes = path.join(repo, 'test', 'fixtures', 'components', 'notes.component.wasm');
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});
const temp = (): string => {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-component-ask-')));
  temps.push(d);
  return d;
};

/** Runs the installed component with `args` and stdin `input`; `answer` answers every question. */
async function run(lib: Library, name: string, args: string[], input: string, answer: Answer) {
  const prepared = prepareRun(lib, name, args);
  const asked: string[] = [];
  let out = '';
  const handle = startRun({
    module: await prepared.module, args: prepared.args, env: [], preopens: prepared.preopens,
    onOutput: (_stream, data) => {
      out += Buffer.from(data).toString('utf8');
    },
    onAsk: prepared.onAsk(async (q) => {
      asked.push(`${q.operation} ${q.path}`);
      return answer;
    }),
  });
  await handle.writeStdin(Buffer.from(input));
  handle.endStdin();
  const outcome = await handle.done;
  prepared.finish(outcome, out.length);
  return { outcome, out, asked };
}

test('a component asks about a path outside its grants; allow lets it read, deny refuses it; both audited', async () => {
  const lib = Library.open(temp());
  const { app } = await lib.install({ kind: 'file', path: notes });
  expect(app.kind).toBe('component');
  const ro = temp();
  fs.writeFileSync(path.join(ro, 'in.txt'), 'granted text');
  const rw = temp();
  lib.grant(app.id, [
    { kind: 'folder', host: ro, guest: '/in', access: 'read' },
    { kind: 'folder', host: rw, guest: '/out', access: 'read-write' },
  ]);
  const outside = temp();
  const secret = path.join(outside, 'secret.txt');
  fs.writeFileSync(secret, 'outside text');
  const steps = ['stdin', 'read:/in/in.txt', 'write:/out/up.txt', `read:${secret}`];

  const allowed = await run(lib, app.name, steps, 'from stdin\n', 'allow-once');
  expect(allowed.asked).toEqual([`read ${secret}`]);
  expect(allowed.out).toBe(`stdin 11 bytes\nread /in/in.txt: granted text\nwrite /out/up.txt 11 bytes\nread ${secret}: outside text\n`);
  expect(allowed.outcome).toEqual({ kind: 'exit', code: 0 });
  expect(fs.readFileSync(path.join(rw, 'up.txt'), 'utf8')).toBe('FROM STDIN\n');

  const denied = await run(lib, app.name, [...steps, `write:${outside}/made.txt`], 'again\n', 'deny');
  expect(denied.asked).toEqual([`read ${secret}`, `create ${outside}/made.txt`]);
  expect(denied.out).toBe(`stdin 6 bytes\nread /in/in.txt: granted text\nwrite /out/up.txt 6 bytes\nread ${secret} error=access\nwrite ${outside}/made.txt error=access\n`);
  expect(denied.outcome).toEqual({ kind: 'exit', code: 1 });
  expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
  expect(lib.audit(app.id).map((e) => `${e.decision} ${e.operation} ${e.path}`).reverse()).toEqual([
    `prompted-allowed read ${secret}`,
    `denied read ${secret}`,
    `denied create ${outside}/made.txt`,
  ]);
  lib.close();
});
