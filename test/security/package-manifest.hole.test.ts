/**
 * HOLE (fails on the code of 2026-12-08 on purpose; docs/design/secreview2.md, hole 1): a package
 * folder's `wasmer.toml` is read with `fs.readFileSync` after only a realpath check, never asked
 * whether it is a regular file or how large it is. A package whose `wasmer.toml` is a named pipe
 * (a FIFO: tar restores one, `mkfifo` makes one) blocks the reading thread until some other
 * process writes to the pipe: `terrarium install FOLDER` hangs, and in the window
 * `install.preview` runs on Electron's main thread, so the whole window freezes. (Same class: a
 * sparse `wasmer.toml` of up to 2 GiB is read whole into memory before it is refused.) The module
 * source is checked (`readFileCapped`: a regular file, under the cap); the manifest must be too.
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
import { afterEach, expect, test } from 'vitest';
import { fixture, nodeBin, repoRoot } from '../helpers/paths.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

afterEach(removeTempDirs);

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
