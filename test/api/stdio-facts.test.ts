/**
 * terminal-run.ts `stdioFacts`: what a run needs of each stdio fd (the guest's filetype, whether
 * no person watches it, whether it is a pipe) from one fstat, the same answers as the three
 * separate checks a start made before (each its own fstat and Stats object, up to four per fd).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test, vi } from 'vitest';
import { Filetype } from '../../main/runtime/abi.ts';
import { isTerminal, stdioFacts } from '../../main/api/terminal-run.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

afterAll(removeTempDirs);

/** The checks as they were (terminal-run.ts before stdioFacts): the reference. */
function reference(fd: number): { type: number; unwatched: boolean; pipe: boolean } {
  const stdioType = (f: number): number => {
    try {
      const st = fs.fstatSync(f);
      return st.isFile() ? Filetype.regular_file : st.isCharacterDevice() ? Filetype.character_device : Filetype.unknown;
    } catch {
      return isTerminal(f) ? Filetype.character_device : Filetype.unknown;
    }
  };
  const isPipe = (f: number): boolean => {
    try {
      const st = fs.fstatSync(f);
      return st.isFIFO() || st.isSocket();
    } catch {
      return false;
    }
  };
  const t = stdioType(fd);
  return { type: t, unwatched: t === Filetype.regular_file || (t === Filetype.character_device && !isTerminal(fd)), pipe: isPipe(fd) };
}

test('one fstat per fd gives what the separate checks gave: a file, the null device, a pipe, a directory, a closed fd', () => {
  const file = path.join(tempDir('stdio-facts'), 'out.txt');
  fs.writeFileSync(file, '');
  const fds: [string, number][] = [['file', fs.openSync(file, 'r+')], ['null', fs.openSync('/dev/null', 'r+')]];
  if (process.platform !== 'win32') fds.push(['directory', fs.openSync(path.dirname(file), 'r')]);
  const closed = fs.openSync(file, 'r');
  fs.closeSync(closed);
  fds.push(['closed', closed]);
  const expected: Record<string, { type: number; unwatched: boolean; pipe: boolean }> = {
    file: { type: Filetype.regular_file, unwatched: true, pipe: false },
    null: { type: Filetype.character_device, unwatched: true, pipe: false },
    directory: { type: Filetype.unknown, unwatched: false, pipe: false },
    closed: { type: Filetype.unknown, unwatched: false, pipe: false },
  };
  for (const [name, fd] of fds) {
    expect([name, stdioFacts(fd)]).toEqual([name, reference(fd)]);
    expect([name, stdioFacts(fd)]).toEqual([name, expected[name]]);
  }
  for (const [name, fd] of fds) if (name !== 'closed') fs.closeSync(fd);
});

test('a pipe is a pipe, watched by nobody we can tell, and its facts take one fstat', async () => {
  if (process.platform === 'win32') return;
  const { spawnSync } = await import('node:child_process');
  // A child whose stdin is a pipe reports its facts for fd 0.
  const script = `import { stdioFacts } from ${JSON.stringify(path.resolve('main/api/terminal-run.ts'))};
const fs = process.getBuiltinModule('node:fs');
let n = 0; const f = fs.fstatSync; fs.fstatSync = (...a) => { n++; return f(...a); };
const facts = stdioFacts(0);
process.stdout.write(JSON.stringify({ facts, n }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: 'x', encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ facts: { type: Filetype.unknown, unwatched: false, pipe: true }, n: 1 });
  const spy = vi.spyOn(fs, 'fstatSync');
  const nul = fs.openSync('/dev/null', 'r');
  stdioFacts(nul);
  expect(spy).toHaveBeenCalledTimes(1);
  spy.mockRestore();
  fs.closeSync(nul);
});
