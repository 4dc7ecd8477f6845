/**
 * The statements a run of an installed app makes before its guest starts (issue 14.2; each is
 * ~30–100 µs the first time in a process: docs/design/runapp.md, eighth pass): the app is looked up
 * once, its grants read by its id, and every writable folder of the library only when an older
 * grant (no identity recorded) needs them; following revocations reads the grants by id too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { prepareRun } from '../../main/launcher/launch.ts';
import { Library } from '../../main/library/library.ts';
import type { RunHandle } from '../../main/runtime/run.ts';
import { fixture } from '../helpers/paths.ts';
import { realTempDir, removeTempDirs } from '../helpers/temp.ts';

afterEach(removeTempDirs);

type Statement = { source: string } & Record<'get' | 'all' | 'run' | 'iterate', (...a: unknown[]) => unknown>;

/** The SQL texts `lib`'s connection runs during `f`, in order. */
function statementsOf(lib: Library, f: () => void): string[] {
  const db = (lib as unknown as { db: { prepare(t: string): Statement } }).db;
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Statement;
  const ran: string[] = [];
  const saved = (['get', 'all', 'run', 'iterate'] as const).map((m) => [m, proto[m]] as const);
  for (const [m, orig] of saved) {
    proto[m] = function (this: Statement, ...a: unknown[]) {
      ran.push(this.source.replace(/\s+/g, ' '));
      return orig.apply(this, a);
    };
  }
  try {
    f();
  } finally {
    for (const [m, orig] of saved) proto[m] = orig;
  }
  return ran;
}

const byId = (s: string): boolean => /SELECT \* FROM apps WHERE id =/.test(s);
const writable = (s: string): boolean => /access = 'read-write'/.test(s);

async function installed(): Promise<{ lib: Library; root: string; name: string }> {
  const root = realTempDir('run-statements');
  const lib = Library.open(path.join(root, 'home'));
  const { app } = await lib.install({ kind: 'file', path: fixture('stdio.wasm') });
  return { lib, root, name: app.name };
}

test('a run looks its app up once, and reads no writable folders for grants that have their identity', async () => {
  const { lib, root, name } = await installed();
  const dir = path.join(root, 'data');
  fs.mkdirSync(dir);
  lib.grant(name, [{ kind: 'env', name: 'A', value: '1' }, { kind: 'folder', host: dir, guest: '/data', access: 'read-write' }]);
  let run: ReturnType<typeof prepareRun> | undefined;
  const ran = statementsOf(lib, () => {
    run = prepareRun(lib, name, []);
  });
  run!.module.catch(() => undefined);
  // By name: the id look-up finds nothing, the name look-up the app; not again by its id for its grants.
  expect(ran.filter(byId)).toHaveLength(1);
  expect(ran.filter((s) => /FROM apps WHERE name_key =/.test(s))).toHaveLength(1);
  expect(ran.filter(writable)).toEqual([]);
  expect(run!.preopens[0]).toMatchObject({ hostPath: dir, guestPath: '/data', readOnly: false });
  expect(run!.policy.env).toEqual([['A', '1']]);
  // Following revocations reads the revision and the grants, not the app again.
  let end = (): void => undefined;
  const handle = { done: new Promise<void>((r) => (end = r)), revoke: () => undefined, forgetAnswers: () => undefined } as unknown as RunHandle;
  const followed = statementsOf(lib, () => run!.follow(handle, run!.preopens));
  expect(followed.filter(byId)).toEqual([]);
  expect(followed.filter((s) => /FROM grants WHERE app_id =/.test(s))).toHaveLength(1);
  end();
  lib.close();
});

test('an older folder grant (no identity recorded) is still checked against every writable folder, once', async () => {
  const { lib, root, name } = await installed();
  const dir = path.join(root, 'old');
  fs.mkdirSync(dir);
  lib.grant(name, [{ kind: 'folder', host: dir, guest: '/old', access: 'read' }]);
  const db = (lib as unknown as { db: { exec(t: string): void } }).db;
  db.exec('UPDATE grants SET resolved = NULL, dev = NULL, ino = NULL');
  let run: ReturnType<typeof prepareRun> | undefined;
  const ran = statementsOf(lib, () => {
    run = prepareRun(lib, name, []);
  });
  run!.module.catch(() => undefined);
  expect(ran.filter(writable)).toHaveLength(1);
  expect(run!.preopens[0]).toMatchObject({ hostPath: dir, guestPath: '/old', readOnly: true });
  lib.close();
});
