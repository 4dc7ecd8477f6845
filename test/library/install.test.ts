/**
 * Installing apps (issue 3, point 2): from a file, from an http URL served by a real local
 * server, and from a package folder with a wasmer.toml. Identical bytes are stored once, a new
 * build keeps grants and history, and refused installs leave the library exactly as it was.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { sourceFrom } from '../../main/library/library.ts';
import {
  BAD, FLITE, cleanup, closedPortUrl, expectLibraryError, fixture, freshLibrary, librarySnapshot, openLibrary,
  sha256, startServer, storeListing, storeTemps, tempDir, type TestServer, writeFile,
} from '../helpers/library.ts';

afterEach(cleanup);

const stdio = fs.readFileSync(fixture('stdio'));
const argsEnv = fs.readFileSync(fixture('args_env'));
const storeFile = (home: string, hash: string): string => path.join(home, 'store', `${hash}.wasm`);

describe('install from a file', () => {
  test('flite.wasm: inspection, hash, size and the stored bytes', async () => {
    const { home, lib } = freshLibrary();
    const bytes = fs.readFileSync(FLITE);
    const { action, app } = await lib.install({ kind: 'file', path: FLITE });
    expect(action).toBe('installed');
    expect(app.name).toBe('flite');
    expect(app.source).toEqual({ kind: 'file', location: FLITE });
    expect(app.sha256).toBe(sha256(bytes));
    expect(app.size).toBe(bytes.length);
    expect(app.version).toBeNull();
    expect(app.manifest).toBeNull();
    expect(app.lastRunAt).toBeNull();
    expect(Date.now() - Date.parse(app.installedAt)).toBeLessThan(60_000);

    const i = app.inspection;
    expect(i.sha256).toBe(app.sha256);
    expect(i.size).toBe(bytes.length);
    expect(i.kind).toBe('command');
    expect(i.wasi).toBe('preview1');
    expect(i.exports).toEqual(expect.arrayContaining([{ name: '_start', kind: 'function' }, { name: 'memory', kind: 'memory' }]));
    expect(i.capabilities.files).toEqual(expect.arrayContaining(['path_open', 'fd_prestat_get', 'fd_prestat_dir_name']));
    expect(i.capabilities.arguments).toEqual(['args_get', 'args_sizes_get']);
    expect(i.capabilities['process exit']).toEqual(['proc_exit']);
    expect(i.capabilities['terminal i/o']).toEqual(expect.arrayContaining(['fd_write']));
    expect(i.capabilities.sockets).toBeUndefined();
    expect(i.capabilities.randomness).toBeUndefined();
    expect(i.producers.language?.map((p) => p.name)).toEqual(['C99']);
    expect(i.producers['processed-by']?.[0]?.name).toBe('clang');
    expect(i.producers['processed-by']?.[0]?.version).toMatch(/^13\./);
    expect(i.memory).toEqual({ min: 262, max: null, shared: false });

    // Stored content-addressed, byte for byte, and nothing else in the store.
    expect(storeListing(home)).toEqual([{ name: `${app.sha256}.wasm`, size: bytes.length, sha256: app.sha256 }]);
    expect(Buffer.from(lib.moduleBytes(app)).equals(bytes)).toBe(true);
    expect(lib.builds(app.id)).toEqual([{ version: null, sha256: app.sha256, size: bytes.length, installedAt: app.installedAt }]);

    // It survives closing and reopening (the sweep keeps a used module).
    lib.close();
    const again = openLibrary(home);
    expect(again.app('flite')).toEqual(app);
    expect(storeListing(home)).toHaveLength(1);
  });

  test('identical bytes are stored once and removed with their last app', async () => {
    const { home, lib } = freshLibrary();
    const src = { kind: 'file' as const, path: fixture('stdio') };
    const one = (await lib.install(src, { name: 'one' })).app;
    const two = await lib.install(src, { name: 'two' });
    expect(two.action).toBe('installed');
    expect(two.app.id).not.toBe(one.id);
    expect(two.app.sha256).toBe(one.sha256);
    expect(lib.list().map((a) => a.name)).toEqual(['one', 'two']);
    expect(storeListing(home).map((f) => f.name)).toEqual([`${one.sha256}.wasm`]);

    lib.uninstall('one');
    expect(fs.existsSync(storeFile(home, one.sha256))).toBe(true);
    expect(Buffer.from(lib.moduleBytes(lib.app('two'))).equals(stdio)).toBe(true);

    lib.uninstall('two');
    expect(fs.existsSync(storeFile(home, one.sha256))).toBe(false);
    expect(storeListing(home)).toEqual([]);
    expect(lib.list()).toEqual([]);
  });

  test('reinstalling the same path with new bytes records a new build and keeps grants and history', async () => {
    const { home, lib } = freshLibrary();
    const work = tempDir();
    const file = writeFile(work, 'tool.wasm', stdio);
    const first = await lib.install({ kind: 'file', path: file });
    expect(first.action).toBe('installed');
    const granted = lib.grant('tool', [
      { kind: 'folder', host: work, guest: '/work', access: 'read' },
      { kind: 'env', name: 'LANG', value: 'C' },
      { kind: 'limit', name: 'timeout-seconds', value: 5 },
    ]);
    const run = lib.runStarted(first.app, ['--hello'], granted.map((g) => g.id));
    lib.runEnded(run, 'exit', 0, 12);
    const grantsBefore = lib.grants('tool');
    const historyBefore = lib.history('tool');

    fs.writeFileSync(file, argsEnv);
    await new Promise((r) => setTimeout(r, 5)); // a later installed_at than the first build
    const second = await lib.install({ kind: 'file', path: file });
    expect(second.action).toBe('updated');
    expect(second.app.id).toBe(first.app.id);
    expect(second.app.name).toBe('tool');
    expect(second.app.sha256).toBe(sha256(argsEnv));
    expect(second.app.size).toBe(argsEnv.length);
    expect(second.app.inspection.capabilities.environment).toEqual(['environ_get', 'environ_sizes_get']);
    expect(lib.grants('tool')).toEqual(grantsBefore);
    expect(lib.history('tool')).toEqual(historyBefore);
    expect(lib.history('tool')[0]).toMatchObject({ args: ['--hello'], outcome: 'exit', exitCode: 0, bytesOut: 12 });

    const builds = lib.builds('tool');
    expect(builds.map((b) => b.sha256)).toEqual([sha256(argsEnv), sha256(stdio)]);
    expect(builds.map((b) => b.size)).toEqual([argsEnv.length, stdio.length]);
    // The old module is gone from the store, the new one is there.
    expect(fs.existsSync(storeFile(home, sha256(stdio)))).toBe(false);
    expect(storeListing(home).map((f) => f.name)).toEqual([`${sha256(argsEnv)}.wasm`]);
    expect(Buffer.from(lib.moduleBytes(second.app)).equals(argsEnv)).toBe(true);

    // The same bytes again: nothing changes.
    const before = librarySnapshot(lib);
    const third = await lib.install({ kind: 'file', path: file });
    expect(third.action).toBe('unchanged');
    expect(third.app).toEqual(second.app);
    expect(librarySnapshot(lib)).toBe(before);
    expect(lib.builds('tool')).toHaveLength(2);
  });

  test('a new build whose old module another app still uses keeps that module', async () => {
    const { home, lib } = freshLibrary();
    const work = tempDir();
    const file = writeFile(work, 'tool.wasm', stdio);
    await lib.install({ kind: 'file', path: file });
    await lib.install({ kind: 'file', path: fixture('stdio') }, { name: 'other' });
    fs.writeFileSync(file, argsEnv);
    expect((await lib.install({ kind: 'file', path: file })).action).toBe('updated');
    expect(fs.existsSync(storeFile(home, sha256(stdio)))).toBe(true);
    expect(Buffer.from(lib.moduleBytes(lib.app('other'))).equals(stdio)).toBe(true);
  });

  test('a different file under a taken name is refused and the library is unchanged', async () => {
    const { home, lib } = freshLibrary();
    const a = writeFile(tempDir(), 'tool.wasm', stdio);
    const b = writeFile(tempDir(), 'tool.wasm', argsEnv);
    const c = writeFile(tempDir(), 'TOOL.wasm', argsEnv);
    await lib.install({ kind: 'file', path: a });
    lib.grant('tool', [{ kind: 'args', args: ['-v'] }]);
    const before = librarySnapshot(lib);

    const e = await expectLibraryError(lib.install({ kind: 'file', path: b }), 'duplicate-name', /"tool" is already installed/);
    expect(e.message).toContain(a);
    expect(e.message).toMatch(/--name/);
    expect(librarySnapshot(lib)).toBe(before);
    await expectLibraryError(lib.install({ kind: 'file', path: c }), 'duplicate-name', /already installed/);
    expect(librarySnapshot(lib)).toBe(before);
    // Choosing the taken name explicitly is refused too.
    await expectLibraryError(lib.install({ kind: 'file', path: fixture('grow') }, { name: 'Tool' }), 'duplicate-name', /already installed/);
    expect(librarySnapshot(lib)).toBe(before);
    expect(storeTemps(home)).toEqual([]);
    // A free name works.
    expect((await lib.install({ kind: 'file', path: b }, { name: 'tool-2' })).action).toBe('installed');
  });
});

describe('install edge cases', () => {
  test('reinstalling identical bytes after the stored module vanished restores it, leaving no temp file', async () => {
    const { home, lib } = freshLibrary();
    const { app } = await lib.install({ kind: 'file', path: fixture('stdio') });
    fs.rmSync(storeFile(home, app.sha256));
    await expectLibraryError(() => lib.moduleBytes(app), 'module-changed');
    const again = await lib.install({ kind: 'file', path: fixture('stdio') });
    expect(again.app.id).toBe(app.id);
    expect(Buffer.from(lib.moduleBytes(again.app)).equals(stdio)).toBe(true);
    expect(storeTemps(home)).toEqual([]);
  });

  test('an app named like another app\'s id can still be updated', async () => {
    const { lib } = freshLibrary();
    const first = (await lib.install({ kind: 'file', path: fixture('grow') })).app;
    const file = writeFile(tempDir(), 'tool.wasm', stdio);
    const named = await lib.install({ kind: 'file', path: file }, { name: first.id });
    expect(named.action).toBe('installed');
    fs.writeFileSync(file, argsEnv);
    const again = await lib.install({ kind: 'file', path: file }, { name: first.id });
    expect(again.action).toBe('updated');
    expect(again.app.id).toBe(named.app.id);
  });

  test('sourceFrom: URLs, folders and files', () => {
    const dir = tempDir();
    expect(sourceFrom('http://127.0.0.1:1/x.wasm')).toEqual({ kind: 'url', url: 'http://127.0.0.1:1/x.wasm' });
    expect(sourceFrom('HTTPS://example.org/x.wasm')).toEqual({ kind: 'url', url: 'HTTPS://example.org/x.wasm' });
    expect(sourceFrom(dir)).toEqual({ kind: 'package', dir });
    expect(sourceFrom(fixture('stdio'))).toEqual({ kind: 'file', path: fixture('stdio') });
    expect(sourceFrom(path.join(dir, 'missing.wasm'))).toEqual({ kind: 'file', path: path.join(dir, 'missing.wasm') });
    expect(sourceFrom('relative.wasm')).toEqual({ kind: 'file', path: path.resolve('relative.wasm') });
  });

  test('a name given with --name is trimmed; an empty one is refused', async () => {
    const { lib } = freshLibrary();
    expect((await lib.install({ kind: 'file', path: fixture('stdio') }, { name: '  spaced  ' })).app.name).toBe('spaced');
    await expectLibraryError(lib.install({ kind: 'file', path: fixture('grow') }, { name: '   ' }), 'bad-name');
    await expectLibraryError(lib.install({ kind: 'file', path: fixture('grow') }, { name: 'x'.repeat(101) }), 'bad-name');
  });
});

// --- URLs ------------------------------------------------------------------------------------

type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Sends `bytes` in `chunks` pieces, flushing each, with a Content-Length unless told not to. */
function sendChunked(bytes: Uint8Array, chunks: number, contentLength = true): Route {
  return (_req, res) => {
    res.writeHead(200, contentLength ? { 'Content-Type': 'application/wasm', 'Content-Length': bytes.length } : { 'Content-Type': 'application/wasm' });
    const size = Math.ceil(bytes.length / chunks);
    let at = 0;
    const next = (): void => {
      if (at >= bytes.length) {
        res.end();
        return;
      }
      const piece = bytes.subarray(at, at + size);
      at += size;
      res.write(piece, () => setTimeout(next, 2));
    };
    next();
  };
}

describe('install from a URL (a local server on 127.0.0.1)', () => {
  let server: TestServer;
  const routes: Record<string, Route> = {
    '/stdio.wasm': sendChunked(stdio, 8),
    '/nolength/stdio.wasm': sendChunked(stdio, 8, false),
    // Claims twice the bytes it sends, then closes the connection.
    '/short.wasm': (_req, res) => {
      res.writeHead(200, { 'Content-Length': stdio.length * 2 });
      res.write(stdio, () => res.destroy());
    },
  };

  afterEach(async () => {
    await server?.close();
  });

  async function serve(): Promise<TestServer> {
    server = await startServer((req, res) => {
      const route = routes[req.url ?? ''];
      if (route) route(req, res);
      else {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
      }
    });
    return server;
  }

  test('streams with progress, stores the module and names it after the URL', async () => {
    const { home, lib } = freshLibrary();
    const s = await serve();
    const seen: [number, number | null][] = [];
    const url = `${s.url}/stdio.wasm`;
    const { action, app } = await lib.install({ kind: 'url', url }, { onProgress: (n, total) => seen.push([n, total]) });
    expect(action).toBe('installed');
    expect(app.name).toBe('stdio');
    expect(app.source).toEqual({ kind: 'url', location: url });
    expect(app.sha256).toBe(sha256(stdio));
    expect(app.size).toBe(stdio.length);
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThan(seen[i - 1]![0]);
    expect(seen.every(([, total]) => total === stdio.length)).toBe(true);
    expect(seen.at(-1)).toEqual([stdio.length, stdio.length]);
    expect(storeListing(home).map((f) => f.name)).toEqual([`${app.sha256}.wasm`]);
    expect(s.requests).toEqual(['/stdio.wasm']);
  });

  test('without a Content-Length: progress has no total', async () => {
    const { lib } = freshLibrary();
    const s = await serve();
    const seen: [number, number | null][] = [];
    const { app } = await lib.install({ kind: 'url', url: `${s.url}/nolength/stdio.wasm` }, { onProgress: (n, t) => seen.push([n, t]) });
    expect(app.sha256).toBe(sha256(stdio));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(([, t]) => t === null)).toBe(true);
    expect(seen.at(-1)![0]).toBe(stdio.length);
  });

  test('--sha256: a match is accepted (any case), a mismatch refused with the library unchanged', async () => {
    const { home, lib } = freshLibrary();
    const s = await serve();
    const url = `${s.url}/stdio.wasm`;
    await lib.install({ kind: 'file', path: fixture('grow') });
    const before = librarySnapshot(lib);
    const wrong = sha256(argsEnv);
    const e = await expectLibraryError(lib.install({ kind: 'url', url }, { sha256: wrong }), 'sha256-mismatch', /sha256/);
    expect(e.message).toContain(wrong);
    expect(e.message).toContain(sha256(stdio));
    expect(librarySnapshot(lib)).toBe(before);
    expect(storeTemps(home)).toEqual([]);

    const ok = await lib.install({ kind: 'url', url }, { sha256: sha256(stdio).toUpperCase() });
    expect(ok.action).toBe('installed');
    expect(ok.app.sha256).toBe(sha256(stdio));
  });

  test('a 404 is refused as http-status', async () => {
    const { lib } = freshLibrary();
    const s = await serve();
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'url', url: `${s.url}/missing.wasm` }), 'http-status', /404/);
    expect(librarySnapshot(lib)).toBe(before);
  });

  test('a closed port is refused as unreachable', async () => {
    const { lib } = freshLibrary();
    const url = await closedPortUrl();
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'url', url }), 'unreachable', /127\.0\.0\.1/);
    expect(librarySnapshot(lib)).toBe(before);
  });

  test('a body shorter than its Content-Length is refused as truncated', async () => {
    const { home, lib } = freshLibrary();
    const s = await serve();
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'url', url: `${s.url}/short.wasm` }), 'truncated', /ended after|truncated/);
    expect(librarySnapshot(lib)).toBe(before);
    expect(storeTemps(home)).toEqual([]);
  });

  test('a body over maxBytes is refused as too-large, with and without a Content-Length', async () => {
    const { home, lib } = freshLibrary();
    const s = await serve();
    const before = librarySnapshot(lib);
    const max = 1000;
    await expectLibraryError(lib.install({ kind: 'url', url: `${s.url}/stdio.wasm` }, { maxBytes: max }), 'too-large', /over the limit of 1000/);
    const seen: number[] = [];
    await expectLibraryError(
      lib.install({ kind: 'url', url: `${s.url}/nolength/stdio.wasm` }, { maxBytes: max, onProgress: (n) => seen.push(n) }),
      'too-large', /over the limit of 1000/,
    );
    // It stops reading once over the cap: progress never reports more than the cap.
    expect(seen.every((n) => n <= max)).toBe(true);
    expect(librarySnapshot(lib)).toBe(before);
    expect(storeTemps(home)).toEqual([]);
    // Exactly at the cap is fine.
    expect((await lib.install({ kind: 'url', url: `${s.url}/stdio.wasm` }, { maxBytes: stdio.length })).action).toBe('installed');
  });

  test('a URL that is not http(s) is refused', async () => {
    const { lib } = freshLibrary();
    await expectLibraryError(lib.install({ kind: 'url', url: 'ftp://127.0.0.1/x.wasm' }), 'bad-url', /ftp/);
  });
});

// --- package folders -------------------------------------------------------------------------

const HELLO_TOML = `
[package]
name = "acme/hello"
version = "1.2.3"
description = "Says hello to the files in /data"

[[module]]
name = "hello"
source = "hello.wasm"
abi = "wasi"

[[command]]
name = "hello"
module = "hello"

[fs]
"/data" = "./data"
`;

describe('install from a package folder (wasmer.toml)', () => {
  test('name, version and description are stored; [fs] becomes declared needs, never a grant', async () => {
    const { lib } = freshLibrary();
    const dir = tempDir('terrarium-pkg-');
    writeFile(dir, 'wasmer.toml', HELLO_TOML);
    writeFile(dir, 'hello.wasm', stdio);
    fs.mkdirSync(path.join(dir, 'data'));
    const { action, app } = await lib.install({ kind: 'package', dir });
    expect(action).toBe('installed');
    expect(app.name).toBe('hello');
    expect(app.version).toBe('1.2.3');
    expect(app.description).toBe('Says hello to the files in /data');
    expect(app.source).toEqual({ kind: 'package', location: dir });
    expect(app.sha256).toBe(sha256(stdio));
    expect(app.manifest?.package).toEqual({ name: 'acme/hello', version: '1.2.3', description: 'Says hello to the files in /data' });
    expect(app.manifest?.commands).toEqual([{ name: 'hello', module: 'hello' }]);
    expect(app.manifest?.needs).toEqual([{ kind: 'folder', guest: '/data', host: './data' }]);
    expect(lib.grants('hello')).toEqual([]);
    expect(lib.list()[0]).toMatchObject({ name: 'hello', version: '1.2.3', grantCount: 0 });
    expect(lib.builds('hello')).toEqual([expect.objectContaining({ version: '1.2.3', sha256: sha256(stdio) })]);
    const grants = lib.db.prepare('SELECT count(*) AS n FROM grants').get() as { n: number };
    expect(grants.n).toBe(0);
  });

  test('a new version of the package is an update', async () => {
    const { lib } = freshLibrary();
    const dir = tempDir('terrarium-pkg-');
    writeFile(dir, 'wasmer.toml', HELLO_TOML);
    writeFile(dir, 'hello.wasm', stdio);
    const first = (await lib.install({ kind: 'package', dir })).app;
    writeFile(dir, 'wasmer.toml', HELLO_TOML.replace('1.2.3', '1.3.0'));
    writeFile(dir, 'hello.wasm', argsEnv);
    const { action, app } = await lib.install({ kind: 'package', dir });
    expect(action).toBe('updated');
    expect(app.id).toBe(first.id);
    expect(app.version).toBe('1.3.0');
    expect(lib.builds('hello').map((b) => b.version)).toEqual(['1.3.0', '1.2.3']);
  });

  test('a wasmer.toml that does not parse is refused as bad-manifest', async () => {
    const { home, lib } = freshLibrary();
    await lib.install({ kind: 'file', path: fixture('grow') });
    const before = librarySnapshot(lib);
    const dir = tempDir('terrarium-pkg-');
    writeFile(dir, 'wasmer.toml', '[package\nname = "acme/hello"\n');
    writeFile(dir, 'hello.wasm', stdio);
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /wasmer\.toml does not parse/);
    expect(librarySnapshot(lib)).toBe(before);
    expect(storeTemps(home)).toEqual([]);
  });

  test('a module source outside the folder is refused as bad-manifest', async () => {
    const { lib } = freshLibrary();
    const parent = tempDir('terrarium-pkg-');
    writeFile(parent, 'x.wasm', stdio); // exists, so only the location is wrong
    const dir = path.join(parent, 'pkg');
    writeFile(dir, 'wasmer.toml', HELLO_TOML.replace('source = "hello.wasm"', 'source = "../x.wasm"'));
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /\.\.\/x\.wasm.*outside the package folder/);
    expect(librarySnapshot(lib)).toBe(before);
  });

  test('a module file inside the folder whose name starts with ".." is not "outside"', async () => {
    const { lib } = freshLibrary();
    const dir = tempDir('terrarium-pkg-');
    writeFile(dir, 'wasmer.toml', HELLO_TOML.replace('source = "hello.wasm"', 'source = "..hello.wasm"'));
    writeFile(dir, '..hello.wasm', stdio);
    const { action, app } = await lib.install({ kind: 'package', dir });
    expect(action).toBe('installed');
    expect(app.sha256).toBe(sha256(stdio));
  });

  test('a module source given as an absolute path elsewhere is refused as bad-manifest', async () => {
    const { lib } = freshLibrary();
    const dir = tempDir('terrarium-pkg-');
    writeFile(dir, 'wasmer.toml', HELLO_TOML.replace('source = "hello.wasm"', `source = ${JSON.stringify(fixture('stdio'))}`));
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /outside the package folder/);
    expect(lib.list()).toEqual([]);
  });

  test('a package whose module file is a component is refused with that name', async () => {
    const { lib } = freshLibrary();
    const dir = tempDir('terrarium-pkg-');
    writeFile(dir, 'wasmer.toml', HELLO_TOML);
    writeFile(dir, 'hello.wasm', BAD.component);
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'component', /component/);
    expect(lib.list()).toEqual([]);
  });
});
