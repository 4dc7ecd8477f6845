/**
 * Was a hole (secreview2 hole 3, docs/design/secreview2.md; fixed in library.ts prepareInstall and
 * commitInstall, "Fixed" there): a file dropped on the window (or on the web page) is installed
 * from its bytes, and its recorded source is only its base name (`location =
 * path.basename(src.fileName)`). Any other file of that name, from anywhere, was then "the same
 * source": its install was an update of the installed app, whose module it replaced and whose
 * grants it inherited, and the review said "Replaces the module of tool, installed from the same
 * source. Its permissions stay". A hostile module only had to be called like a trusted one the
 * person installed by drag and drop to get that app's folders. (A file path, a URL or a package
 * folder is a source; a base name is not.) Now dropped bytes never update an app, and a commit
 * updates only the app its review named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, onTestFinished, test } from 'vitest';
import { createApi } from '../../main/api/index.ts';
import { cleanup, expectLibraryError, fixture, freshLibrary, librarySnapshot, tempDir } from '../helpers/library.ts';

afterEach(cleanup);

test('a different module dropped under the same file name is no update of the app and gets none of its grants', async () => {
  const { lib } = freshLibrary();
  const trusted = fs.readFileSync(fixture('stdio'));
  const hostile = fs.readFileSync(fixture('args_env'));
  // The person drops ~/dev/tool.wasm, installs it, and grants it a folder.
  const { app } = await lib.install({ kind: 'bytes', fileName: 'tool.wasm', bytes: trusted });
  const docs = tempDir('secreview2-docs');
  lib.grant(app.id, [{ kind: 'folder', host: docs, guest: '/docs', access: 'read-write' }]);
  // Later, another file called tool.wasm (a download, an attachment) is dropped.
  const prepared = await lib.prepareInstall({ kind: 'bytes', fileName: 'tool.wasm', bytes: hostile });
  expect(prepared.updates).toBeNull();
  await expectLibraryError(() => lib.commitInstall(prepared), 'duplicate-name', /already installed/);
  expect(lib.app(app.id).sha256).toBe(app.sha256);
  expect(lib.grants(app.id).map((g) => g.kind === 'folder' && g.host)).toEqual([docs]);
  // Under a name of its own it is a new app, with nothing granted.
  const other = await lib.install({ kind: 'bytes', fileName: 'tool.wasm', bytes: hostile }, { name: 'tool 2' });
  expect(other.action).toBe('installed');
  expect(lib.grants(other.app.id)).toEqual([]);
});

test('the window\'s review of the dropped file tells the truth: no update, the taken name, the same module offered', async () => {
  const { home, lib } = freshLibrary();
  const bytes = new Uint8Array(fs.readFileSync(fixture('stdio')));
  const { app } = await lib.install({ kind: 'bytes', fileName: 'tool.wasm', bytes });
  const api = createApi({ transport: 'web', home });
  onTestFinished(() => api.close());
  // Dropped again, byte for byte: not "Update", and the installed app is offered instead.
  const p = await api.handle('install.preview', { source: { kind: 'bytes', fileName: 'tool.wasm', bytes } });
  expect(p).toMatchObject({ ok: true, value: { name: 'tool', updates: null, duplicateOf: { id: app.id, name: 'tool' } } });
  const before = librarySnapshot(lib);
  const previewId = (p as { value: { previewId: string } }).value.previewId;
  expect(await api.handle('install.confirm', { previewId })).toMatchObject({ ok: false, code: 'duplicate-name' });
  expect(librarySnapshot(lib)).toBe(before);
});

test('a commit updates only the app its review named (a second path: a name changed at confirm)', async () => {
  const { lib } = freshLibrary();
  const dir = tempDir('secreview2-src');
  const file = path.join(dir, 'tool.wasm');
  fs.copyFileSync(fixture('stdio'), file);
  // Two apps from the same file: "tool", and "work" (installed with --name), which has a folder.
  await lib.install({ kind: 'file', path: file });
  const work = (await lib.install({ kind: 'file', path: file }, { name: 'work' })).app;
  const docs = tempDir('secreview2-docs');
  lib.grant(work.id, [{ kind: 'folder', host: docs, guest: '/docs', access: 'read-write' }]);
  fs.copyFileSync(fixture('args_env'), file);
  // The review says the new build updates "tool"; confirmed under the name "work", it must not
  // quietly replace work's module (whose review nobody saw).
  const prepared = await lib.prepareInstall({ kind: 'file', path: file });
  expect(prepared.updates?.name).toBe('tool');
  const before = librarySnapshot(lib);
  await expectLibraryError(() => lib.commitInstall(prepared, 'work'), 'duplicate-name', /already installed/);
  expect(librarySnapshot(lib)).toBe(before);
  // Confirmed as reviewed, it is the update it said.
  expect((lib.commitInstall(prepared)).action).toBe('updated');
});

test('a review made before the app was installed does not update it at commit', async () => {
  const { lib } = freshLibrary();
  const dir = tempDir('secreview2-src');
  const file = path.join(dir, 'tool.wasm');
  fs.copyFileSync(fixture('stdio'), file);
  const prepared = await lib.prepareInstall({ kind: 'file', path: file });
  expect(prepared.updates).toBeNull();
  // Meanwhile (another window, the command line) the same file is installed and granted a folder.
  const { app } = await lib.install({ kind: 'file', path: file });
  lib.grant(app.id, [{ kind: 'folder', host: tempDir('secreview2-docs'), guest: '/docs', access: 'read' }]);
  fs.copyFileSync(fixture('args_env'), file);
  const newer = await lib.prepareInstall({ kind: 'file', path: file });
  expect(newer.updates?.id).toBe(app.id);
  // The first review said "a new app": it is refused, not turned into an update.
  const before = librarySnapshot(lib);
  await expectLibraryError(() => lib.commitInstall(prepared), 'duplicate-name', /already installed/);
  expect(librarySnapshot(lib)).toBe(before);
});
