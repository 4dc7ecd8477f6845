/**
 * Where an app comes from is hostile too (issue 9, point 9): a package folder whose links point
 * outside it, a URL whose file name is a bad percent-escape or spells a path, names that are not
 * names, and a gzip-encoded download (a real node:http server on 127.0.0.1) whose Content-Length
 * counts the encoded bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { type TestServer, cleanup, expectLibraryError, fixture, freshLibrary, librarySnapshot, sha256, startServer, storeTemps, tempDir, writeFile } from '../helpers/library.ts';

afterEach(cleanup);

const stdio = fs.readFileSync(fixture('stdio'));
const TOML = '[package]\nname = "acme/hello"\n[[module]]\nname = "hello"\nsource = "hello.wasm"\n';

describe('a package folder with links', () => {
  test('a module file that is a link to a file outside the folder is refused, the library unchanged', async () => {
    const { lib } = freshLibrary();
    const outside = tempDir('terrarium-outside-');
    writeFile(outside, 'secret.wasm', stdio);
    const dir = tempDir('terrarium-pkg-');
    writeFile(dir, 'wasmer.toml', TOML);
    fs.symlinkSync(path.join(outside, 'secret.wasm'), path.join(dir, 'hello.wasm'));
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /module source hello\.wasm is a link to .*secret\.wasm, outside the package folder/);
    expect(librarySnapshot(lib)).toBe(before);
  });

  test('a relative link that climbs out, and a linked folder on the way, are refused too', async () => {
    const { lib } = freshLibrary();
    const parent = tempDir('terrarium-pkg-');
    writeFile(parent, 'x.wasm', stdio);
    const dir = path.join(parent, 'pkg');
    writeFile(dir, 'wasmer.toml', TOML);
    fs.symlinkSync('../x.wasm', path.join(dir, 'hello.wasm'));
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /outside the package folder/);
    fs.rmSync(path.join(dir, 'hello.wasm'));
    fs.symlinkSync(parent, path.join(dir, 'sub'));
    writeFile(dir, 'wasmer.toml', TOML.replace('hello.wasm', 'sub/x.wasm'));
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /sub\/x\.wasm is a link to .*outside the package folder/);
    expect(lib.list()).toEqual([]);
  });

  test('a wasmer.toml that is a link to a file outside is refused', async () => {
    const { lib } = freshLibrary();
    const outside = tempDir('terrarium-outside-');
    writeFile(outside, 'other.toml', TOML);
    const dir = tempDir('terrarium-pkg-');
    writeFile(dir, 'hello.wasm', stdio);
    fs.symlinkSync(path.join(outside, 'other.toml'), path.join(dir, 'wasmer.toml'));
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /wasmer\.toml is a link to .*outside the package folder/);
  });

  test('a link inside the folder to a file inside it is fine, and so is a package folder reached through a link', async () => {
    const { lib } = freshLibrary();
    const dir = tempDir('terrarium-pkg-');
    writeFile(dir, 'wasmer.toml', TOML);
    writeFile(dir, 'build/real.wasm', stdio);
    fs.symlinkSync('build/real.wasm', path.join(dir, 'hello.wasm'));
    const via = path.join(tempDir('terrarium-via-'), 'linked');
    fs.symlinkSync(dir, via);
    expect((await lib.install({ kind: 'package', dir: via })).app.sha256).toBe(sha256(stdio));
  });
});

describe('names from URLs and typed names', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const serveAll = async (): Promise<TestServer> => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': stdio.length });
      res.end(stdio);
    });
    return server;
  };

  test('a bad percent-escape in the file name is kept as written, never an internal error', async () => {
    const { lib } = freshLibrary();
    const s = await serveAll();
    const { app } = await lib.install({ kind: 'url', url: `${s.url}/tool%E0%A4%A.wasm` });
    expect(app.name).toBe('tool%E0%A4%A');
    const second = await lib.install({ kind: 'url', url: `${s.url}/x/%zz%.wasm` });
    expect(second.app.name).toBe('%zz%');
  });

  test('a file name that decodes to a path or controls becomes a clean name', async () => {
    const { lib } = freshLibrary();
    const s = await serveAll();
    const names = [];
    for (const file of ['..%2F..%2Fetc%2Fevil.wasm', 'a%5Cb.wasm', '%2E%2E.wasm', 'x%1B%5B2Jy%E2%80%AEz.wasm']) {
      names.push((await lib.install({ kind: 'url', url: `${s.url}/d/${file}` }, { name: undefined })).app.name);
    }
    expect(names).toEqual(['..-..-etc-evil', 'a-b', 'app', 'x\uFFFD[2Jy\uFFFDz']);
  });

  test('a dropped file whose name spells a path is stored under a clean name', async () => {
    const { lib } = freshLibrary();
    const { app } = await lib.install({ kind: 'bytes', fileName: '..\\..\\evil\u202Etxt.wasm', bytes: stdio });
    expect(app.name).toBe('..-..-evil\uFFFDtxt');
  });

  test('a typed name with a slash, a backslash, a dot segment or an invisible character is refused', async () => {
    const { lib } = freshLibrary();
    const before = librarySnapshot(lib);
    for (const name of ['a/b', 'a\\b', '..', '.', ' .. ', 'a\u202Eb', 'a\u2028b', 'a\uFFFEb', 'a\u200Bb']) {
      await expectLibraryError(lib.install({ kind: 'file', path: fixture('stdio') }, { name }), 'bad-name', /cannot be an app name/);
    }
    expect(librarySnapshot(lib)).toBe(before);
    expect((await lib.install({ kind: 'file', path: fixture('stdio') }, { name: 'a..b 👨‍👩‍👧' })).app.name).toBe('a..b 👨‍👩‍👧');
  });
});

describe('a gzip-encoded download', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const gz = zlib.gzipSync(stdio);

  test('with a Content-Length (of the encoded bytes) is measured on the bytes received', async () => {
    const { lib } = freshLibrary();
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': gz.length, 'Content-Type': 'application/wasm' });
      res.end(gz);
    });
    expect(gz.length).toBeLessThan(stdio.length);
    const seen: [number, number | null][] = [];
    const { app } = await lib.install({ kind: 'url', url: `${server.url}/stdio.wasm` }, { onProgress: (n, t) => seen.push([n, t]) });
    expect(app.sha256).toBe(sha256(stdio));
    expect(app.size).toBe(stdio.length);
    expect(seen.at(-1)).toEqual([stdio.length, null]);
  });

  test('cut short is refused with a clear error, the library unchanged', async () => {
    const { home, lib } = freshLibrary();
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': gz.length });
      res.write(gz.subarray(0, gz.length >> 1), () => res.destroy());
    });
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'url', url: `${server.url}/stdio.wasm` }), 'truncated', /ended before its \d+ encoded bytes arrived/);
    expect(librarySnapshot(lib)).toBe(before);
    expect(storeTemps(home)).toEqual([]);
  });

  test('that decodes to more than the limit is refused as too-large', async () => {
    const { lib } = freshLibrary();
    const bomb = zlib.gzipSync(Buffer.alloc(4 * 1024 * 1024));
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': bomb.length });
      res.end(bomb);
    });
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expectLibraryError(lib.install({ kind: 'url', url: `${server.url}/bomb.wasm` }, { maxBytes: 1024 * 1024 }), 'too-large', /over the limit/);
  });
});
