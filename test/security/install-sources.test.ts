/**
 * Attacks on installs that hold (docs/design/secreview2.md): a hostile URL (a real HTTP server on
 * 127.0.0.1) that redirects to file:, lies in its Content-Length, sends more than the cap without
 * one, or drips its body (slow loris); a hostile package folder whose module source is a named pipe,
 * a folder, absolute or climbing. Each is refused with its exact error, the library unchanged.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { download } from '../../main/library/download.ts';
import { type TestServer, cleanup, expectLibraryError, fixture, freshLibrary, librarySnapshot, startServer, storeTemps, tempDir, writeFile } from '../helpers/library.ts';

afterEach(cleanup);

const stdio = fs.readFileSync(fixture('stdio'));
const toml = (source: string): string => `[package]\nname = "acme/hello"\n[[module]]\nname = "hello"\nsource = ${JSON.stringify(source)}\n`;

describe('a hostile URL', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('a redirect to file: is not followed', async () => {
    const { home, lib } = freshLibrary();
    server = await startServer((_req, res) => res.writeHead(302, { Location: `file://${fixture('stdio')}` }).end());
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'url', url: `${server.url}/app.wasm` }), 'unreachable', new RegExp(`^cannot reach 127\\.0\\.0\\.1:${server.port}: `));
    expect(librarySnapshot(lib)).toBe(before);
    expect(storeTemps(home)).toEqual([]);
  });

  test('a Content-Length larger than the body sent is refused as truncated', async () => {
    const { lib } = freshLibrary();
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': stdio.length + 1000 });
      res.write(stdio, () => res.destroy());
    });
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'url', url: `${server.url}/app.wasm` }), 'truncated', new RegExp(`ended after ${stdio.length} of ${stdio.length + 1000} bytes`));
    expect(librarySnapshot(lib)).toBe(before);
  });

  test('a Content-Length smaller than the body: only the declared bytes are taken, never the rest', async () => {
    const { lib } = freshLibrary();
    server = await startServer((req, _res) => {
      // Written raw: node:http itself refuses to send more than the Content-Length it was given.
      req.socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\n`), stdio]));
    });
    const before = librarySnapshot(lib);
    // The first 8 bytes are a module header alone: an empty module, so not a command.
    await expectLibraryError(lib.install({ kind: 'url', url: `${server.url}/app.wasm` }), 'not-command', /no "_start" function/);
    expect(librarySnapshot(lib)).toBe(before);
  });

  test('a body over the cap with no Content-Length (chunked) is cut off at the cap', async () => {
    const { home, lib } = freshLibrary();
    let written = 0;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/wasm' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = (): void => {
        while (written < 64 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'url', url: `${server.url}/big.wasm` }, { maxBytes: 1024 * 1024 }), 'too-large', /big\.wasm is over the limit of 1048576 bytes$/);
    expect(librarySnapshot(lib)).toBe(before);
    expect(storeTemps(home)).toEqual([]);
    // The client stopped reading: far less than the 64 MiB offered went out.
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  test('a Content-Length over the cap is refused before the body is read', async () => {
    const { lib } = freshLibrary();
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': 300 * 1024 * 1024 });
      res.write(Buffer.alloc(1024));
    });
    await expectLibraryError(lib.install({ kind: 'url', url: `${server.url}/huge.wasm` }, { maxBytes: 1024 * 1024 }), 'too-large', /huge\.wasm is 314572800 bytes, over the limit of 1048576$/);
    expect(lib.list()).toEqual([]);
  });

  test('a body that drips one byte at a time ends at the download time limit (slow loris)', async () => {
    let timer: NodeJS.Timeout | undefined;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/wasm' });
      timer = setInterval(() => res.write(Buffer.from([0])), 20);
      res.on('close', () => clearInterval(timer));
    });
    try {
      // The install path's limit is 60 s (download's default); a short one here, same code.
      await expectLibraryError(download(`${server.url}/slow.wasm`, 1024 * 1024, undefined, 300), 'unreachable', /^the download of .*slow\.wasm failed: /);
    } finally {
      clearInterval(timer);
    }
  });
});

describe('a hostile package folder', () => {
  test.skipIf(process.platform === 'win32')('a module source that is a named pipe is refused without opening it', async () => {
    const { lib } = freshLibrary();
    const dir = tempDir('secreview2-pkg');
    writeFile(dir, 'wasmer.toml', toml('hello.wasm'));
    expect(spawnSync('mkfifo', [path.join(dir, 'hello.wasm')]).status).toBe(0);
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'unreadable', new RegExp(`${path.join(dir, 'hello.wasm').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a file$`));
    expect(librarySnapshot(lib)).toBe(before);
  });

  test('a module source that is a folder, absolute, or climbs out is refused', async () => {
    const { lib } = freshLibrary();
    const outside = tempDir('secreview2-outside');
    writeFile(outside, 'x.wasm', stdio);
    const dir = tempDir('secreview2-pkg');
    fs.mkdirSync(path.join(dir, 'sub'));
    const before = librarySnapshot(lib);
    writeFile(dir, 'wasmer.toml', toml('sub'));
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'unreadable', /sub is not a file$/);
    writeFile(dir, 'wasmer.toml', toml(path.join(outside, 'x.wasm')));
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /^module source .*x\.wasm lies outside the package folder$/);
    writeFile(dir, 'wasmer.toml', toml(`sub/../../${path.basename(outside)}/x.wasm`));
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /lies outside the package folder$/);
    writeFile(dir, 'wasmer.toml', toml('sub/../../../../../../../../../../../../dev/zero'));
    await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /lies outside the package folder$/);
    expect(librarySnapshot(lib)).toBe(before);
  });

  test('a hostile name, version and description are kept as text, and a path as name becomes clean', async () => {
    const { lib } = freshLibrary();
    const dir = tempDir('secreview2-pkg');
    writeFile(dir, 'hello.wasm', stdio);
    writeFile(dir, 'wasmer.toml', '[package]\nname = "acme/../..\\u001b]52;c;SGk=\\u0007x"\nversion = "1\\u001b[2J"\ndescription = "d\\u202e"\n[[module]]\nname = "m"\nsource = "hello.wasm"\n');
    const { app } = await lib.install({ kind: 'package', dir });
    expect(app.name).toBe('..\uFFFD]52;c;SGk=\uFFFDx');
    // Stored as given; every sink shows it through preload/safe-text.ts (tested with the sinks).
    expect(app.version).toBe('1\u001b[2J');
  });
});
