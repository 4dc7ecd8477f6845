/**
 * Permissions that grow (issue 13.3): a change inside a folder granted read-only asks "allow
 * changes too?" instead of failing; allow once widens the folder for the run, allow always in
 * its stored grant too (same grant, re-pinned), deny fails ENOTCAPABLE as a read-only grant
 * always has, and nothing ever reaches outside the folder. A real C program makes the changes.
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

const probe = fixture('upgrade_probe');
afterEach(removeTempDirs);

async function setup() {
  const root = realTempDir('upgrade');
  const lib = Library.open(path.join(root, 'home'));
  const { app } = await lib.install({ kind: 'file', path: probe });
  const ro = path.join(root, 'ro');
  const outside = path.join(root, 'outside');
  fs.mkdirSync(ro);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(ro, 'file.txt'), 'readonly');
  lib.grant(app.id, [{ kind: 'folder', host: ro, guest: ro, access: 'read' }]);
  return { lib, app, ro, outside };
}

function runWith(lib: Library, appId: string, ro: string, outside: string, answer: Answer) {
  return runWithExtra(lib, appId, [ro, outside], answer);
}

const ALL_CHANGES = ['create', 'append', 'set-times', 'rename', 'unlink', 'mkdir'];

test('deny: every change fails ENOTCAPABLE as before, the folder is unchanged, each attempt audited', async () => {
  const { lib, app, ro, outside } = await setup();
  const { out, asked } = await runWith(lib, app.id, ro, outside, 'deny');
  for (const c of ALL_CHANGES) expect(out).toContain(`${c} ENOTCAPABLE`);
  expect(out).toContain('read-open ok');
  expect(out).toContain('ftruncate-read-fd ENOTCAPABLE');
  expect(out).toContain('escape EPERM');
  expect(fs.readdirSync(ro)).toEqual(['file.txt']);
  expect(fs.readFileSync(path.join(ro, 'file.txt'), 'utf8')).toBe('readonly');
  expect(fs.readdirSync(outside)).toEqual([]);
  // Each question named the read-only folder it would widen.
  expect(asked.length).toBeGreaterThan(0);
  for (const q of asked) expect(q.upgrade?.folder).toBe(ro);
  expect(asked[0]).toMatchObject({ operation: 'create', path: path.join(ro, 'new.txt') });
  const audit = lib.audit(app.id).map((e) => `${e.decision} ${e.operation} ${e.path}`);
  expect(audit).toContain(`denied create ${path.join(ro, 'new.txt')}`);
  expect(audit).toContain(`denied rename ${path.join(ro, 'file.txt')}`);
  expect(lib.grants(app.id)).toMatchObject([{ kind: 'folder', access: 'read' }]);
  lib.close();
});

test('allow once: asked once, the folder is read & write for this run only, never beyond it', async () => {
  const { lib, app, ro, outside } = await setup();
  const grantId = lib.grants(app.id)[0]!.id;
  const { out, asked } = await runWith(lib, app.id, ro, outside, 'allow-once');
  for (const c of ALL_CHANGES) expect(out).toContain(`${c} ok`);
  // A descriptor opened for reading never grows: the change asks for a new open.
  expect(out).toContain('ftruncate-read-fd ENOTCAPABLE');
  expect(out).toContain('escape EPERM');
  expect(fs.readdirSync(outside)).toEqual([]);
  expect(asked).toHaveLength(1);
  expect(fs.readFileSync(path.join(ro, 'new.txt'), 'utf8')).toBe('new');
  expect(fs.readdirSync(ro).sort()).toEqual(['new.txt', 'sub']);
  // Nothing stored: the grant is still read-only, and the next run asks again.
  expect(lib.grants(app.id)).toMatchObject([{ id: grantId, access: 'read' }]);
  expect(lib.audit(app.id).map((e) => `${e.decision} ${e.operation}`)).toEqual(['prompted-allowed create']);
  fs.rmSync(path.join(ro, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(ro, 'file.txt'), 'readonly');
  const second = await runWith(lib, app.id, ro, outside, 'deny');
  expect(second.out).toContain('create ENOTCAPABLE');
  lib.close();
});

test('allow always: the stored grant becomes read & write (same grant, identity re-pinned); the next run asks nothing', async () => {
  const { lib, app, ro, outside } = await setup();
  const before = lib.grants(app.id)[0]!;
  const { out, asked } = await runWith(lib, app.id, ro, outside, 'allow-always');
  expect(asked).toHaveLength(1);
  for (const c of ALL_CHANGES) expect(out).toContain(`${c} ok`);
  expect(out).toContain('escape EPERM');
  expect(fs.readdirSync(outside)).toEqual([]);
  const after = lib.grants(app.id);
  expect(after).toHaveLength(1);
  expect(after[0]).toMatchObject({ id: before.id, kind: 'folder', host: ro, guest: ro, access: 'read-write', pin: { resolved: ro } });
  fs.rmSync(path.join(ro, 'sub'), { recursive: true });
  fs.rmSync(path.join(ro, 'new.txt'));
  fs.writeFileSync(path.join(ro, 'file.txt'), 'readonly');
  const second = await runWith(lib, app.id, ro, outside, 'deny');
  expect(second.asked).toEqual([]);
  for (const c of ALL_CHANGES) expect(second.out).toContain(`${c} ok`);
  lib.close();
});

test('narrowing a folder from read & write to read-only keeps the grant and is heard as a revocation', async () => {
  const { lib, app, ro } = await setup();
  lib.grant(app.id, [{ kind: 'folder', host: ro, guest: ro, access: 'read-write' }]);
  const id = lib.grants(app.id)[0]!.id;
  const rev = lib.revision(app.id);
  lib.grant(app.id, [{ kind: 'folder', host: ro, guest: ro, access: 'read' }]);
  expect(lib.grants(app.id)).toMatchObject([{ id, access: 'read' }]);
  expect(lib.revision(app.id)).toBe(rev + 1);
  lib.close();
});

test('read-only wins over a read-write grant around the folder until the person upgrades that folder', async () => {
  const { lib, app, ro, outside } = await setup();
  const around = path.dirname(ro);
  lib.grant(app.id, [{ kind: 'folder', host: around, guest: around, access: 'read-write' }]);
  const name = path.basename(ro);
  const denied = await runWithExtra(lib, app.id, [ro, outside, name], 'deny');
  expect(denied.out).toContain('via-rw ENOTCAPABLE');
  expect(denied.out).toContain('via-rw-after ENOTCAPABLE');
  expect(fs.readdirSync(ro)).toEqual(['file.txt']);
  const once = await runWithExtra(lib, app.id, [ro, outside, name], 'allow-once');
  // Before the upgrade the wider grant cannot change the folder (and does not ask); after it, it can.
  expect(once.out).toContain('via-rw ENOTCAPABLE');
  expect(once.out).toContain('via-rw-after ok');
  expect(once.asked).toHaveLength(1);
  lib.close();
});

async function runWithExtra(lib: Library, appId: string, args: string[], answer: Answer) {
  const run = prepareRun(lib, appId, args);
  const asked: Question[] = [];
  let out = '';
  const handle = startRun({
    module: await run.module, args: run.args, env: [], preopens: run.preopens,
    onOutput: (_s, d) => { out += Buffer.from(d).toString(); },
    onAsk: run.onAsk(async (q) => {
      asked.push(q);
      return answer;
    }),
  });
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  return { out: out.trim().split('\n'), asked };
}

test('a folder widened for good and narrowed again while the run goes on: the run loses it at its next access', async () => {
  const { lib, app, ro, outside } = await setup();
  const run = prepareRun(lib, app.id, [ro, outside]);
  let out = '';
  let waiting!: () => void;
  const atWait = new Promise<void>((r) => (waiting = r));
  const handle = startRun({
    module: await run.module, args: run.args, env: [['UPGRADE_WAIT', '1']], preopens: run.preopens,
    onOutput: (_s, d) => {
      out += Buffer.from(d).toString();
      if (out.includes('waiting')) waiting();
    },
    onAsk: run.onAsk(async () => 'allow-always'),
  });
  run.follow(handle, run.preopens);
  await atWait;
  expect(out).toContain('mkdir ok');
  expect(lib.grants(app.id)).toMatchObject([{ access: 'read-write' }]);
  lib.grant(app.id, [{ kind: 'folder', host: ro, guest: ro, access: 'read' }]);
  await handle.writeStdin(new TextEncoder().encode('go\n'));
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  expect(out).toContain('after-wait EACCES');
  expect(fs.existsSync(path.join(ro, 'after-wait.txt'))).toBe(false);
  lib.close();
});
