/**
 * STYLE 7 / DESIGN §3.1: `resolve()` called directly over a real temp tree, under both resolver
 * modes. Each row says, for `follow` and for no-follow, either what the probe received
 * (parent folder relative to the root, name, mustBeDir) or the errno the caller would turn into
 * the guest's result (a Node exception counts by its mapped errno; some rows pin its `.code`).
 */
import fs from 'node:fs';
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Errno } from '../../main/runtime/abi.ts';

import { type ErrnoName, type Outcome, makeTree, table } from '../helpers/resolve-table.ts';

const errnoName = (n: number | undefined): ErrnoName | 'unmapped' =>
  (Object.keys(Errno) as ErrnoName[]).find((k) => Errno[k] === n) ?? 'unmapped';

/** Where fds are listed, to count them; none on platforms without such a folder. */
const fdDir = process.platform === 'linux' ? '/proc/self/fd' : process.platform === 'darwin' ? '/dev/fd' : undefined;
const openFds = (): number => fs.readdirSync(fdDir!).length;

/** Each resolver this platform has, with the environment that forces it. */
const modes = [
  ...(process.platform === 'linux' || process.platform === 'darwin' ? [['native', { TERRARIUM_HOST_CALLS: 'native' }] as const] : []),
  ...(process.platform === 'linux' ? [['linux-procfd', { TERRARIUM_HOST_CALLS: 'portable' }] as const] : []),
  ['portable', { TERRARIUM_RESOLVER: 'portable' }] as const,
];
const FORCING = ['TERRARIUM_HOST_CALLS', 'TERRARIUM_RESOLVER'] as const;

for (const [mode, env] of modes) {
  describe(`resolve() — ${mode} resolver`, () => {
    let pr: typeof import('../../main/runtime/path-resolve.ts');
    let errors: typeof import('../../main/runtime/errors.ts');
    let root: string;
    let rootFd: number;
    const savedEnv = FORCING.map((k) => process.env[k]);

    beforeAll(async () => {
      for (const k of FORCING) delete process.env[k];
      Object.assign(process.env, env);
      vi.resetModules();
      // Same module generation for both, so `instanceof WasiError` and SYMLINK identity hold.
      pr = await import('../../main/runtime/path-resolve.ts');
      errors = await import('../../main/runtime/errors.ts');
      root = makeTree();
      rootFd = fs.openSync(root, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    });

    afterAll(() => {
      FORCING.forEach((k, i) => {
        if (savedEnv[i] === undefined) delete process.env[k];
        else process.env[k] = savedEnv[i];
      });
      fs.closeSync(rootFd);
      fs.rmSync(root, { recursive: true, force: true });
    });

    /** Like the path family's probes: a final symlink is expanded when following or a trailing "/" asks. */
    function run(path: string, follow: boolean): Outcome {
      try {
        return pr.resolve({ fd: rootFd, path: root }, path, { follow }, (dir, name, mustBeDir) =>
          (follow || mustBeDir) && pr.isSymlink(dir, name) ? pr.SYMLINK : { dir: relative(root, dir.path), name, mustBeDir },
        );
      } catch (err) {
        if (err instanceof errors.WasiError) return { errno: errnoName(err.errno) as ErrnoName };
        const code = (err as NodeJS.ErrnoException).code;
        if (typeof code !== 'string') throw err;
        return { errno: errnoName(errors.errnoFromNode(err)) as ErrnoName, node: code };
      }
    }

    /** Drops a Node code the row does not pin: rows state the errno, a few also the Node code. */
    const comparable = (got: Outcome, want: Outcome): Outcome =>
      'errno' in got && 'errno' in want && want.node === undefined ? { errno: got.errno } : got;

    it('is the mode the environment asked for', () => {
      expect(pr.resolverMode()).toBe(mode);
      expect(pr.MAX_SYMLINKS).toBe(40);
    });

    describe.each(table)('%j', (path, wantFollow, wantNoFollow) => {
      it('with follow', () => {
        expect(comparable(run(path, true), wantFollow)).toEqual(wantFollow);
      });
      it('without follow', () => {
        expect(comparable(run(path, false), wantNoFollow)).toEqual(wantNoFollow);
      });
    });

    it('tells plain paths (names and single slashes only) from the rest', () => {
      for (const p of ['a', 'a/b', '...', 'a/.b/c..', 'with space/file name', 'naïve/日本語 😀', '\\', 'a\\..', '..a', 'a/..b', '.../a', 'a/...', '.a/b.', 'a/b/c/d']) expect([p, pr.isPlain(p)]).toEqual([p, true]);
      for (const p of ['', '.', '..', './a', 'a/.', 'a/..', '../a', 'a/../b', '/a', '//a', 'a//b', 'a/', '/', 'a/./b', 'a/b/', 'a/b/..', 'a/b/.', '//', 'a///b']) expect([p, pr.isPlain(p)]).toEqual([p, false]);
    });

    it('answers a plain path (its own quick walk) exactly as the general walk answers "./" + it', () => {
      // Every check of the general walk has to hold on the quick one: symlinks on the way and at
      // the end (inside, absolute, climbing out, loops, dangling), files on the way, missing names.
      const plain = table.map(([p]) => p).filter((p) => pr.isPlain(p));
      expect(plain.length).toBeGreaterThan(25);
      for (const p of plain) {
        for (const follow of [true, false]) expect([p, follow, run(p, follow)]).toEqual([p, follow, run(`./${p}`, follow)]);
      }
    });

    it('walks a plain ASCII path from its bytes (resolveAscii) exactly as resolve() walks its string', () => {
      const ascii = (p: string): boolean => [...Buffer.from(p)].every((c) => c > 0 && c < 0x80);
      // isPlainAscii is isPlain for ASCII without NUL, and false for anything else.
      for (const p of [...table.map(([path]) => path), 'a/b', '..a', 'a/..b', 'a/./b', 'a/b/', 'x\0y', 'naïve/a', 'é', '\x7f/a']) {
        const b = Buffer.from(p);
        expect([p, pr.isPlainAscii(b, 0, b.length)]).toEqual([p, ascii(p) && pr.isPlain(p)]);
        // Bytes around the range are not read.
        const padded = Buffer.concat([Buffer.from('/../'), b, Buffer.from('/..\0')]);
        expect([p, pr.isPlainAscii(padded, 4, 4 + b.length)]).toEqual([p, ascii(p) && pr.isPlain(p)]);
      }
      let walked = 0;
      /** What path_filestat_get does: the bytes' walk, then the string's when it gives up. */
      const runAscii = (path: string, follow: boolean): Outcome => {
        const b = Buffer.concat([Buffer.from('../'), Buffer.from(path), Buffer.from('/..')]);
        const mem = { latin1: (start: number, end: number) => b.toString('latin1', start, end) };
        try {
          const r = pr.resolveAscii({ fd: rootFd, path: root }, b, 3, b.length - 3, mem, follow, (dir, name, mustBeDir) =>
            (follow || mustBeDir) && pr.isSymlink(dir, name) ? pr.SYMLINK : { dir: relative(root, dir.path), name, mustBeDir },
          );
          if (r === pr.SYMLINK || r === pr.NOT_PLAIN_ASCII) return run(path, follow);
          walked++;
          return r;
        } catch (err) {
          walked++; // the bytes' walk's own error (run() catches the string walk's)
          if (err instanceof errors.WasiError) return { errno: errnoName(err.errno) as ErrnoName };
          const code = (err as NodeJS.ErrnoException).code;
          if (typeof code !== 'string') throw err;
          return { errno: errnoName(errors.errnoFromNode(err)) as ErrnoName, node: code };
        }
      };
      const plain = table.map(([p]) => p).filter((p) => ascii(p) && pr.isPlain(p));
      expect(plain.length).toBeGreaterThan(25);
      for (const p of plain) {
        for (const follow of [true, false]) expect([p, follow, runAscii(p, follow)]).toEqual([p, follow, run(p, follow)]);
      }
      // The bytes' walk answered those with no symlink to expand itself (the table is mostly symlinks).
      if (pr.resolverMode() !== 'portable') expect(walked).toBeGreaterThan(20);
      else expect(walked).toBe(0);
    });

    it('never probes with a name containing "/" or ".." and never closes the starting fd', () => {
      const seen: string[] = [];
      for (const [path] of table) {
        for (const follow of [true, false]) {
          try {
            pr.resolve({ fd: rootFd, path: root }, path, { follow }, (dir, name, mustBeDir) => {
              seen.push(name);
              return (follow || mustBeDir) && pr.isSymlink(dir, name) ? pr.SYMLINK : null;
            });
          } catch {
            // Outcomes are checked row by row above.
          }
        }
      }
      expect(seen.length).toBeGreaterThan(table.length);
      expect(seen.filter((n) => n.includes('/') || n === '..' || n === '')).toEqual([]);
      expect(fs.fstatSync(rootFd).isDirectory()).toBe(true);
    });

    if (fdDir !== undefined) {
      it(`leaks no fds over the whole table, a throwing probe included (${fdDir})`, () => {
        const before = openFds();
        for (let round = 0; round < 3; round++) {
          for (const [path] of table) for (const follow of [true, false]) run(path, follow);
          for (const deep of ['a/up/a/b', 'link_in/up/link_in/x', 'a/sib', 'a/b', 'with space/x', 'link_in/x']) {
            expect(() =>
              pr.resolve({ fd: rootFd, path: root }, deep, { follow: true }, () => {
                throw new Error('probe failed');
              }),
            ).toThrow('probe failed');
          }
        }
        expect(openFds()).toBe(before);
      });
    }
  });
}
