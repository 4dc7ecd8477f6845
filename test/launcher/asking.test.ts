/**
 * Ask mode's decisions (DESIGN §5): remembered denials, the app's mode, the person's four answers,
 * the audit log, the CLI without a terminal (ask means deny, said on stderr), and prompt text
 * that cannot spoof.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { type Answer, decider, grantAccessFor, grantFolderFor } from '../../main/launcher/asking.ts';
import { prepareRun } from '../../main/launcher/launch.ts';
import type { AskOperation } from '../../main/runtime/ask.ts';
import { startRun } from '../../main/runtime/run.ts';
import { promptSafe } from '../../main/launcher/prompt-text.ts';
import { Library } from '../../main/library/library.ts';
import { cli, cliJson } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { realTempDir, removeTempDirs } from '../helpers/temp.ts';

const probe = fixture('ask_probe');
afterEach(removeTempDirs);
const temp = (): string => realTempDir('asking');

async function setup() {
  const home = temp();
  const lib = Library.open(home);
  const { app } = await lib.install({ kind: 'file', path: probe });
  const runId = lib.runStarted(app, [], []);
  return { home, lib, app, runId };
}

test('each answer is applied and audited; "always" answers are remembered', async () => {
  const { lib, app, runId } = await setup();
  const asked: string[] = [];
  let next: Answer = 'allow-once';
  const decide = decider(lib, app, runId, async (q) => {
    asked.push(`${q.operation} ${q.path}`);
    return next;
  });
  expect(await decide('read', '/data/a.txt')).toBe(true);
  next = 'deny';
  expect(await decide('write', '/data/a.txt')).toBe(false);
  next = 'allow-always';
  // An "always" answer grants a real folder: what it is is recorded (issue 9), so it must exist.
  const created = path.join(temp(), 'new');
  fs.mkdirSync(created);
  expect(await decide('create', `${created}/b.txt`)).toBe(true);
  expect(lib.grants(app.id)).toMatchObject([{ kind: 'folder', host: created, guest: created, access: 'read-write', pin: { resolved: created } }]);
  next = 'deny-always';
  expect(await decide('read', '/secret')).toBe(false);
  expect(lib.denials(app.id)).toEqual(['/secret']);
  // Never asked again about /secret or anything below it.
  const before = asked.length;
  expect(await decide('read', '/secret/x')).toBe(false);
  expect(asked.length).toBe(before);
  expect(lib.audit(app.id).map((e) => `${e.decision} ${e.operation} ${e.path}`).reverse()).toEqual([
    'prompted-allowed read /data/a.txt',
    'denied write /data/a.txt',
    `prompted-allowed create ${created}/b.txt`,
    'denied read /secret',
    'denied read /secret/x',
  ]);
  expect(lib.audit(app.id, { decision: 'denied' })).toHaveLength(3);
  lib.close();
});

test('an "always" answer whose folder cannot be granted allows once, is audited, and says why nothing was kept', async () => {
  const { lib, app, runId } = await setup();
  // A folder reached through a link inside a folder the app may write: an app could have planted it.
  const w = temp();
  lib.grant(app.id, [{ kind: 'folder', host: w, guest: '/w', access: 'read-write' }]);
  const elsewhere = temp();
  fs.symlinkSync(elsewhere, path.join(w, 'planted'));
  const notKept: string[] = [];
  const decide = decider(lib, app, runId, async () => 'allow-always', undefined, new Set(), (q, why) => notKept.push(`${q.path}: ${why}`));
  expect(await decide('read', path.join(w, 'planted', 'x.txt'))).toBe(true);
  expect(notKept).toHaveLength(1);
  expect(notKept[0]).toMatch(/planted/);
  expect(lib.grants(app.id).filter((g) => g.kind === 'folder').map((g) => g.kind === 'folder' && g.host)).toEqual([w]);
  expect(lib.audit(app.id).map((e) => `${e.decision} ${e.operation} ${e.path}`)).toEqual([`prompted-allowed read ${path.join(w, 'planted', 'x.txt')}`]);
  lib.close();
});

test("an app set to 'deny' is never asked, and neither is one with no UI to ask on", async () => {
  const { lib, app, runId } = await setup();
  let asked = 0;
  const denied: string[] = [];
  lib.setUnknownAccess(app.id, 'deny');
  const decide = decider(lib, app, runId, async () => {
    asked++;
    return 'allow-once';
  }, (q) => denied.push(q.path));
  expect(await decide('read', '/etc/hosts')).toBe(false);
  lib.setUnknownAccess(app.id, 'ask');
  expect(await decider(lib, app, runId, null, (q) => denied.push(q.path))('read', '/etc/hostname')).toBe(false);
  expect(asked).toBe(0);
  expect(denied).toEqual(['/etc/hosts', '/etc/hostname']);
  lib.close();
});

test('terrarium run APP without a terminal denies ungranted access, says so on stderr, and logs it', async () => {
  const { home, lib, app } = await setup();
  lib.close();
  const outside = temp();
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  const r = await cli(home, ['run', app.name, '--', `read:${outside}/secret.txt`]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`read ${outside}/secret.txt errno=2`);
  expect(r.stdout).not.toContain('content');
  expect(r.stderr).toContain(`terrarium: denied ${app.name} read ${outside}/secret.txt`);
  expect(r.stderr).toContain(`terrarium grant ${app.name} --dir ${outside}`);
  expect(await cliJson(home, ['audit', app.name, '--json'])).toMatchObject([{ decision: 'denied', operation: 'read', path: `${outside}/secret.txt` }]);
});

test('the audit names the real operation, on each side of a link or rename', async () => {
  const { lib, app } = await setup();
  const outside = temp();
  const secret = path.join(outside, 'secret.txt');
  fs.writeFileSync(secret, 'secret');
  const run = prepareRun(lib, app.name, [
    `read:${secret}`, `link:${secret}>${outside}/hard.txt`, `rename:${secret}>${outside}/moved.txt`,
    `touch:${secret}`, `trunc:${secret}`,
  ]);
  const asked: string[] = [];
  const handle = startRun({
    module: await run.module, args: run.args, env: [], preopens: run.preopens, onOutput: () => undefined,
    onAsk: run.onAsk(async (q) => {
      asked.push(q.operation);
      return q.operation === 'read' ? 'allow-once' : 'deny';
    }),
  });
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  expect(asked).toEqual(['read', 'link', 'rename', 'set-times', 'truncate']);
  expect(lib.audit(app.id).map((e) => `${e.decision} ${e.operation} ${e.path}`).reverse()).toEqual([
    `prompted-allowed read ${secret}`,
    `denied link ${secret}`,
    `denied rename ${secret}`,
    `denied set-times ${secret}`,
    `denied truncate ${secret}`,
  ]);
  expect(fs.readFileSync(secret, 'utf8')).toBe('secret');
  expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
  lib.close();
});

test('a file handed over by gesture may be read and rewritten; linking, renaming or re-dating it is asked', async () => {
  const { lib, app, runId } = await setup();
  const asked: string[] = [];
  const decide = decider(lib, app, runId, async (q) => {
    asked.push(q.operation);
    return 'deny';
  }, undefined, new Set(['/docs/letter.txt']));
  for (const op of ['read', 'write', 'truncate'] as const) expect(await decide(op, '/docs/letter.txt')).toBe(true);
  for (const op of ['link', 'rename', 'set-times', 'delete', 'create'] as const) expect(await decide(op, '/docs/letter.txt')).toBe(false);
  expect(asked).toEqual(['link', 'rename', 'set-times', 'delete', 'create']);
  // An "always" for any change grants the folder read-write; reading and listing, read-only.
  expect(['link', 'rename', 'set-times', 'truncate', 'write', 'create', 'delete'].map((op) => grantAccessFor(op as AskOperation))).toEqual(Array(7).fill('read-write'));
  expect(grantAccessFor('read')).toBe('read');
  expect(grantAccessFor('list')).toBe('read');
  lib.close();
});

test('"deny always" answers before a file handed over by gesture; the deny mode does not stop one', async () => {
  const { lib, app, runId } = await setup();
  const asked: string[] = [];
  const decide = decider(lib, app, runId, async (q) => {
    asked.push(q.operation);
    return 'allow-once';
  }, undefined, new Set(['/docs/letter.txt', '/kept/note.txt']));
  lib.setUnknownAccess(app.id, 'deny');
  // Handing a file over is how an app that may ask nothing gets one.
  expect(await decide('read', '/kept/note.txt')).toBe(true);
  lib.denyAlways(app.id, '/docs');
  expect(await decide('read', '/docs/letter.txt')).toBe(false);
  expect(await decide('write', '/docs/letter.txt')).toBe(false);
  expect(asked).toEqual([]);
  lib.close();
});

test('prompt text shows control characters and bidi marks as escapes and is length-capped', () => {
  expect(promptSafe('/tmp/a\x1b[2Jb')).toBe('/tmp/a\\u{1b}[2Jb');
  expect(promptSafe('/tmp/\u202Etxt.exe')).toBe('/tmp/\\u{202e}txt.exe');
  expect(promptSafe('a\u200Bb\r\n')).toBe('a\\u{200b}b\\u{d}\\u{a}');
  expect(promptSafe('x'.repeat(1000), 50)).toHaveLength(50);
  expect(promptSafe(`/home/${'d/'.repeat(300)}secret-name.txt`, 60)).toMatch(/^\/home\/d\/.*….*secret-name\.txt$/);
  expect(grantFolderFor('list', '/a/b')).toBe('/a/b');
  expect(grantFolderFor('read', '/a/b/c.txt')).toBe('/a/b');
});
