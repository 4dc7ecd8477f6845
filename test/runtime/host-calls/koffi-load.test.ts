/**
 * Loading koffi (host-calls/koffi-load.ts): straight from its native module where npm installs
 * it, with what the native calls use, opened without `require` (no CommonJS loader set up for it);
 * through koffi's own loader when that module is not there.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { requireKoffi } from '../../../main/runtime/host-calls/koffi-load.ts';

type K = { version: string; load: (name: string) => unknown; errno: () => number };
const real = createRequire(import.meta.url);
const koffi = real('koffi') as K;
const installed = process.platform === 'linux' || process.platform === 'darwin';

/** `real`, with `resolve.paths` answering `paths` and every id `require`d recorded. */
function recording(paths: string[] | null, asked: string[]): NodeJS.Require {
  return Object.assign((id: string) => {
    asked.push(id);
    return real(id);
  }, {
    ...real,
    resolve: Object.assign((id: string) => real.resolve(id), { paths: () => paths }),
  }) as unknown as NodeJS.Require;
}

test.runIf(installed)('the native module alone, the version koffi expects, with load and errno, not through require', () => {
  const asked: string[] = [];
  const k = requireKoffi<K>(recording(real.resolve.paths('koffi'), asked));
  expect(k).not.toBe(koffi);
  expect(k.version).toBe(koffi.version);
  expect(typeof k.load).toBe('function');
  expect(typeof k.errno).toBe('function');
  expect(asked).toEqual([]);
});

test('koffi\'s own loader when the native module is not where npm puts it', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-koffi-'));
  try {
    const asked: string[] = [];
    expect(requireKoffi<K>(recording([empty], asked))).toBe(koffi);
    expect(asked).toEqual(['koffi']);
    expect(requireKoffi<K>(recording(null, []))).toBe(koffi);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

/**
 * koffi's exit handler fsyncs descriptors 1 and 2; a process that loaded it puts /dev/null over a
 * regular-file stdout or stderr at its exit, after everything was written (a pipe stays).
 * Returns what descriptors 1 and 2 were at the child's last exit listener, and what it wrote.
 */
function childExit(stdio: 'file' | 'pipe', inWorker = false): { fds: string; written: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-koffi-exit-'));
  try {
    const url = pathToFileURL(path.resolve(import.meta.dirname, '../../../main/runtime/host-calls/koffi-load.ts')).href;
    const side = path.join(dir, 'fds.txt');
    const load = [
      `const { requireKoffi } = await import(${JSON.stringify(url)});`,
      `requireKoffi((await import('node:module')).createRequire(${JSON.stringify(url)}));`,
    ].join('\n');
    // In a worker: koffi loaded there, the worker ended (its own `exit`), then the process's.
    const inWorkerLoad = `await new Promise((done) => new (process.getBuiltinModule('node:worker_threads').Worker)(${JSON.stringify(load)}, { eval: true }).once('exit', done));`;
    const script = [
      `import fs from 'node:fs';`,
      inWorker ? inWorkerLoad : load,
      `fs.writeSync(1, 'out before exit\\n');`,
      `fs.writeSync(2, 'err before exit\\n');`,
      `const kind = (fd) => { const st = fs.fstatSync(fd); return st.isFile() ? 'file' : st.isCharacterDevice() ? 'char' : st.isFIFO() || st.isSocket() ? 'pipe' : 'other'; };`,
      // node:worker_threads loads the stream library (~5 ms of CPU): it has no business at the exit of a same-thread run.
      `const threads = () => process.moduleLoadList.includes('NativeModule worker_threads') ? ' worker_threads' : '';`,
      `process.on('exit', () => fs.writeFileSync(${JSON.stringify(side)}, kind(1) + ' ' + kind(2) + threads()));`,
    ].join('\n');
    const out = path.join(dir, 'out.txt');
    const fd = stdio === 'file' ? fs.openSync(out, 'w') : 'pipe';
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', fd, fd], encoding: 'utf8' });
    if (typeof fd === 'number') fs.closeSync(fd);
    expect(r.status, r.stderr).toBe(0);
    return { fds: fs.readFileSync(side, 'utf8'), written: stdio === 'file' ? fs.readFileSync(out, 'utf8') : `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test.runIf(installed)('at exit, a regular-file stdout and stderr are swapped for /dev/null after all was written, so koffi\'s flush syncs nothing', () => {
  const { fds, written } = childExit('file');
  expect(fds).toBe('char char'); // and node:worker_threads was not loaded to find the main thread
  expect(written).toBe('out before exit\nerr before exit\n');
});

test.runIf(installed)('a worker that loaded koffi leaves the process\'s stdout and stderr alone when it ends', () => {
  // Its `exit` is the thread's, not the process's: the main thread goes on writing to the files.
  const { fds, written } = childExit('file', true);
  expect(fds).toBe('file file worker_threads');
  expect(written).toBe('out before exit\nerr before exit\n');
});

test.runIf(installed)('at exit, a piped stdout and stderr (a pipe or socket) are left as they are', () => {
  const { fds, written } = childExit('pipe');
  expect(fds).toBe('pipe pipe');
  expect(written).toBe('out before exit\nerr before exit\n');
});
