/**
 * HOLE (fails on the code of 2026-12-08 on purpose; docs/design/secreview2.md, hole 3): a file
 * dropped on the window (or on the web page) is installed from its bytes, and its recorded source
 * is only its base name (library.ts prepareInstall, `src.kind === 'bytes'`: `location =
 * path.basename(src.fileName)`). Any other file of that name, from anywhere, is then "the same
 * source": its install is an update of the installed app, whose module it replaces and whose
 * grants it inherits, and the review says "Replaces the module of tool, installed from the same
 * source. Its permissions stay". A hostile module only has to be called like a trusted one the
 * person installed by drag and drop to get that app's folders. (A file path, a URL or a package
 * folder is a source; a base name is not.)
 */
import fs from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { cleanup, expectLibraryError, fixture, freshLibrary, tempDir } from '../helpers/library.ts';

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
});
