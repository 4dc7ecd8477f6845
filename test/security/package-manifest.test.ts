/**
 * Was a hole (secreview2 hole 1, docs/design/secreview2.md; fixed in wasmer-toml.ts readPackage
 * and read-file.ts, "Fixed" there): a package folder's `wasmer.toml` was read with
 * `fs.readFileSync` after only a realpath check, never asked whether it is a regular file or how
 * large it is. A package whose `wasmer.toml` is a named pipe (a FIFO: tar restores one, `mkfifo`
 * makes one) blocked the reading thread until some other process wrote to the pipe: `terrarium
 * install FOLDER` hung, and in the window `install.preview` runs on Electron's main thread, so the
 * whole window froze. (Same class: a sparse `wasmer.toml` of up to 2 GiB was read whole into
 * memory before it was refused; and the module source, checked by path, was read by path again.)
 * Now both are read through one descriptor, opened without waiting, regular files under a cap only.
 *
 * The install runs in a child process (a blocked read cannot be interrupted from the same thread).
 * No timing: the test opens the FIFO for writing without blocking, which succeeds only while a
 * reader has it open. Hole: the open succeeds (the install is stuck reading the pipe); the test
 * writes a manifest into the pipe and the install succeeds with it, showing that the installer takes
 * whatever another process streams into it. Held: the child ends refusing the package.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { cleanup, expectLibraryError, freshLibrary, librarySnapshot } from '../helpers/library.ts';
import { fixture, nodeBin, repoRoot } from '../helpers/paths.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

afterEach(removeTempDirs);
afterEach(cleanup);

const CHILD = `
const { Library } = await import(${JSON.stringify(path.join(repoRoot, 'main', 'library', 'library.ts'))});
const lib = Library.open(process.argv[1]);
try {
  const r = await lib.install({ kind: 'package', dir: process.argv[2] });
  console.log(JSON.stringify({ ok: true, name: r.app.name }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, code: err.code, message: err.message }));
}
lib.close();
`;

/** Opens `fifo` for writing without blocking: true when some process has it open for reading. */
function readerPresent(fifo: string): number | null {
  try {
    return fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENXIO') return null;
    throw err;
  }
}

test.skipIf(process.platform === 'win32')('a package whose wasmer.toml is a named pipe is refused without reading the pipe', async () => {
  const home = tempDir('secreview2-home');
  const dir = tempDir('secreview2-pkg');
  fs.copyFileSync(fixture('stdio'), path.join(dir, 'hello.wasm'));
  const fifo = path.join(dir, 'wasmer.toml');
  await new Promise<void>((resolve, reject) => {
    spawn('mkfifo', [fifo], { stdio: 'inherit' }).on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`mkfifo: ${c}`))));
  });
  const child = spawn(nodeBin, ['--input-type=module', '-e', CHILD, home, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let ended = false;
  void exited.then(() => (ended = true));
  let fedThePipe = false;
  // Until the child ends, feeding the pipe whenever a reader has it open. A fixed installer may
  // open it (without blocking) to look at it, and refuses it whatever is written.
  while (!ended) {
    const fd = readerPresent(fifo);
    if (fd !== null) {
      try {
        // Another process decides what the installer reads: a manifest of its own.
        fs.writeSync(fd, '[package]\nname = "from-the-pipe"\n[[module]]\nname = "m"\nsource = "hello.wasm"\n');
        fedThePipe = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
      } finally {
        fs.closeSync(fd);
      }
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await exited;
  const result = JSON.parse(out.trim()) as { ok: boolean; code?: string; message?: string; name?: string };
  expect({ ok: result.ok, code: result.code, name: result.name }, `fed the pipe: ${fedThePipe}`).toEqual({ ok: false, code: 'bad-manifest', name: undefined });
  expect(result.message).toMatch(/wasmer\.toml is not a (regular )?file/);
});

const MANIFEST = '[package]\nname = "big"\n[[module]]\nname = "m"\nsource = "hello.wasm"\n';

test('a wasmer.toml over the manifest cap (1 MiB) is refused without being read, even a sparse one', async () => {
  const { lib } = freshLibrary();
  const dir = tempDir('secreview2-pkg');
  fs.copyFileSync(fixture('stdio'), path.join(dir, 'hello.wasm'));
  // A valid manifest, then a comment running to one byte over the cap: read whole, it would install.
  const file = path.join(dir, 'wasmer.toml');
  const padded = `${MANIFEST}#${'x'.repeat(1024 * 1024 - MANIFEST.length - 1)}`;
  fs.writeFileSync(file, `${padded}\n`);
  expect(fs.statSync(file).size).toBe(1024 * 1024 + 1);
  const before = librarySnapshot(lib);
  await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /^wasmer\.toml is 1048577 bytes, over the limit of 1048576$/);
  // Sparse: 256 MiB that take no disk (where the file system has holes).
  fs.truncateSync(file, 256 * 1024 * 1024);
  await expectLibraryError(lib.install({ kind: 'package', dir }), 'bad-manifest', /^wasmer\.toml is 268435456 bytes, over the limit of 1048576$/);
  expect(librarySnapshot(lib)).toBe(before);
  // At the cap, it is read (control).
  fs.writeFileSync(file, `${padded.slice(0, -1)}\n`);
  expect((await lib.install({ kind: 'package', dir })).app.name).toBe('big');
});

test('the module file that was checked is the one read (a file swapped in between is not)', async () => {
  // Another process replaces the module file with a larger one just after the size was checked:
  // simulated by swapping it inside the check's own stat. Read by path again, the larger one went
  // past the cap; read through the checked descriptor, it cannot.
  const { lib } = freshLibrary();
  const dir = tempDir('secreview2-src');
  const small = fs.readFileSync(fixture('stdio'));
  const large = fs.readFileSync(fixture('args_env'));
  expect(large.length).toBeGreaterThan(small.length);
  const file = path.join(dir, 'tool.wasm');
  fs.writeFileSync(file, small);
  const spare = path.join(dir, 'spare.wasm');
  fs.writeFileSync(spare, large);
  const realStat = fs.statSync;
  let swapped = false;
  const spy = vi.spyOn(fs, 'statSync').mockImplementation(((p: fs.PathLike, o?: fs.StatSyncOptions) => {
    const st = realStat(p, o);
    if (p === file && !swapped) {
      swapped = true;
      fs.renameSync(spare, file);
    }
    return st;
  }) as typeof fs.statSync);
  try {
    await expectLibraryError(lib.install({ kind: 'file', path: file }, { maxBytes: small.length }), 'too-large', new RegExp(`is ${large.length} bytes, over the limit of ${small.length}$`));
  } finally {
    spy.mockRestore();
  }
  expect(swapped).toBe(true);
  expect(lib.list()).toEqual([]);
});
