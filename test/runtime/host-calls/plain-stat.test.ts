/**
 * `path_filestat_get`'s walk in wasm (host-calls/plain-stat-wasm.ts, `statPlain`; Linux's statx
 * only) answers exactly what the resolver answers (DESIGN §3.1): over the resolver's table
 * (test/helpers/resolve-table.ts) and more, each call gives the errno and the filestat bytes the
 * same call gives with the wasm walk turned off; it takes over only "name" and "folder/name" through
 * the directory cache's last hit, and never a path with ".", "..", an empty component, a byte that
 * is not ASCII, or a symlink to follow. A folder on the path renamed, replaced, or swapped for a
 * symlink or a file is never answered for from the folder it kept (it declines, writing nothing).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Errno, Filetype, Layout, Lookupflags, RIGHTS_ALL } from '../../../main/runtime/abi.ts';
import { type HostWith, hostWith } from '../../helpers/host-with.ts';
import { makeTree, table } from '../../helpers/resolve-table.ts';

const F = Layout.filestat;
const PATH = 1000;
const OUT = 8192;

describe.runIf(process.platform === 'linux')('path_filestat_get\'s walk in wasm (statPlain)', () => {
  let guest: HostWith;
  let hc: typeof import('../../../main/runtime/host-calls/index.ts');
  let root: string;
  let pre: number;
  let preFd: number;
  let plain: NonNullable<import('../../../main/runtime/host-calls/index.ts').HostCalls['statPlain']>;
  /** The calls the wasm walk answered, as `${path} ${follow}`. */
  const taken = new Set<string>();
  let current = '';

  const setStatPlain = (value: unknown): void => {
    Object.defineProperty(hc.hostCalls, 'statPlain', { value, enumerable: true, configurable: true });
  };

  beforeAll(async () => {
    guest = await hostWith('native', 'path_ops');
    hc = await import('../../../main/runtime/host-calls/index.ts');
    root = makeTree();
    fs.mkdirSync(path.join(root, 'é'));
    fs.writeFileSync(path.join(root, 'é', 'x'), 'xx');
    fs.writeFileSync(path.join(root, 'a', 'é'), 'xxx');
    fs.mkdirSync(path.join(root, 'a', 'c'));
    fs.writeFileSync(path.join(root, 'a', 'c', 'd'), 'xxxx');
    preFd = fs.openSync(root, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    pre = guest.fds.add({
      kind: 'dir', filetype: Filetype.directory, hostFd: preFd,
      rightsBase: RIGHTS_ALL, rightsInheriting: RIGHTS_ALL, fdflags: 0, readOnly: false, hostPath: root, origin: 0, ask: false, preopen: '/data',
    });
    plain = hc.hostCalls.statPlain!;
    setStatPlain((...args: Parameters<typeof plain>) => {
      const r = plain(...args);
      if (r) taken.add(current);
      return r;
    });
  });
  afterAll(() => {
    setStatPlain(plain);
    guest.restore();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** path_filestat_get of `p` into a filled `out`: the errno and the 64 bytes there. */
  const call = (p: string, follow: boolean, wasm = true): { errno: number; out: number[] } => {
    const bytes = Buffer.from(p);
    guest.mem.write(PATH, bytes);
    guest.mem.u8.fill(0xee, OUT, OUT + F.bytes);
    current = `${p} ${follow}`;
    const saved = hc.hostCalls.statPlain;
    if (!wasm) setStatPlain(undefined);
    try {
      const errno = guest.wasi.path_filestat_get!(pre, follow ? Lookupflags.symlink_follow : 0, PATH, bytes.length, OUT);
      return { errno, out: [...guest.mem.u8.subarray(OUT, OUT + F.bytes)] };
    } finally {
      if (!wasm) setStatPlain(saved);
    }
  };
  const sizeOf = (r: { errno: number; out: number[] }): number | string =>
    r.errno !== 0 ? Object.keys(Errno).find((k) => Errno[k as keyof typeof Errno] === r.errno)! : Number(Buffer.from(r.out).readBigUInt64LE(F.size));

  it('is there (native calls, Linux)', () => {
    expect(typeof plain).toBe('function');
  });

  it('answers every path of the resolver\'s table, and more, as the resolver does', () => {
    const paths = [
      ...table.map(([p]) => p),
      'b', 'a/b', 'a/up', 'a/sib', 'a/climb', 'a/é', 'a/c/d', 'a/c', 'a/c/', 'a/./b', 'a//b', 'a/b/', 'a/..', 'a/.', 'a/b/..', '/a', '/a/b',
      'é', 'é/x', 'x\0y', 'a\0/b', 'a/\0', '\x7f', 'a/\x7f', 'b/x', 'missing/x', 'with space/file name', 'a/b/c',
    ];
    for (const p of paths) {
      for (const follow of [true, false]) {
        const want = call(p, follow, false);
        // Three times: the folder is opened, then found in the cache (its last hit), then walked in wasm.
        for (let i = 0; i < 3; i++) expect([p, follow, i, call(p, follow)]).toEqual([p, follow, i, want]);
      }
    }
    const took = (p: string, follow: boolean): boolean => taken.has(`${p} ${follow}`);
    // Names in the folder given, and "folder/name" through a cached folder; symlinks only unfollowed.
    for (const p of ['a', 'b', 'a/b', 'a/c', 'a/c/', 'link_in', 'chain41', 'dangling', 'a/up', 'a/sib', 'a/climb']) {
      expect([p, took(p, false)]).toEqual([p, !p.endsWith('/')]);
    }
    for (const p of ['a', 'b', 'a/b', 'a/c']) expect([p, took(p, true)]).toEqual([p, true]);
    for (const p of ['link_in', 'link_abs', 'link_up', 'loop', 'chain40', 'dangling', 'a/up', 'a/sib', 'a/climb']) expect([p, took(p, true)]).toEqual([p, false]);
    // Never ".", "..", an empty component, a byte above 0x7f or a NUL, two slashes, or an error.
    for (const t of taken) {
      const p = t.slice(0, t.lastIndexOf(' '));
      expect([p, /(^|\/)\.\.?($|\/)|^\/|\/\/|\/$|[^\x01-\x7f]|\/.*\//.test(p)]).toEqual([p, false]);
    }
    for (const p of ['missing', '...', 'missing/x', 'b/x', 'with space/file name', 'é', 'é/x', 'a/é']) {
      expect([p, took(p, false) || took(p, true)]).toEqual([p, false]);
    }
  });

  it('never answers from a folder it kept once that folder was renamed, replaced, or swapped for a symlink or a file', () => {
    const put = (p: string, bytes: number): void => {
      fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      fs.writeFileSync(path.join(root, p), 'x'.repeat(bytes));
    };
    const both = (p: string, follow = false): number | string => {
      const want = sizeOf(call(p, follow, false));
      expect([p, follow, sizeOf(call(p, follow))]).toEqual([p, follow, want]);
      return want;
    };
    /** statPlain called alone, right after a change: it must decline and write nothing. */
    const declines = (p: string): void => {
      const bytes = Buffer.from(p);
      guest.mem.write(PATH, bytes);
      guest.mem.u8.fill(0xee, OUT, OUT + F.bytes);
      expect([p, plain(preFd, guest.mem, PATH, bytes.length, OUT, false)]).toEqual([p, false]);
      expect(guest.mem.u8.subarray(OUT, OUT + F.bytes).every((b) => b === 0xee)).toBe(true);
    };
    /** Walks `folder`/f until the wasm walk keeps `folder` and answers for it. */
    const kept = (folder: string): void => {
      for (let i = 0; i < 2; i++) both(`${folder}/f`);
      taken.clear();
      both(`${folder}/f`);
      expect(taken.has(`${folder}/f false`)).toBe(true);
    };
    put('d/f', 1);
    kept('d');
    fs.renameSync(path.join(root, 'd'), path.join(root, 'e')); // renamed away
    declines('d/f');
    expect(both('d/f')).toBe('noent');
    expect(both('e/f')).toBe(1);

    kept('e');
    fs.renameSync(path.join(root, 'e'), path.join(root, 'g'));
    put('e/f', 2); // replaced by another folder at once (the same name, another inode)
    declines('e/f');
    expect(both('e/f')).toBe(2);

    kept('e');
    fs.renameSync(path.join(root, 'e'), path.join(root, 'h'));
    fs.symlinkSync('g', path.join(root, 'e')); // by a symlink inside: expanded by the general walk
    declines('e/f');
    expect(both('e/f')).toBe(1);
    expect(both('e/f', true)).toBe(1);

    kept('g');
    fs.renameSync(path.join(root, 'g'), path.join(root, 'i'));
    fs.symlinkSync(os.tmpdir(), path.join(root, 'g')); // by one that leaves the sandbox
    declines('g/f');
    expect(both('g/f')).toBe('perm');

    kept('h');
    fs.renameSync(path.join(root, 'h'), path.join(root, 'j'));
    put('h', 5); // by a file
    declines('h/f');
    expect(both('h/f')).toBe('notdir');
  });

  it('writes into the grown memory after the guest\'s memory grows', () => {
    for (let i = 0; i < 3; i++) call('a/b', false);
    const before = guest.mem.u8.length;
    guest.mem.memory.grow(1);
    taken.clear();
    const bytes = Buffer.from('a/b');
    guest.mem.write(before + 16, bytes);
    expect(guest.wasi.path_filestat_get!(pre, 0, before + 16, bytes.length, before + 64)).toBe(0);
    expect(taken.size).toBe(1);
    expect(Number(guest.mem.u64At(before + 64 + F.size))).toBe(fs.statSync(path.join(root, 'a', 'b')).size);
    expect(Number(guest.mem.u64At(before + 64 + F.ino))).toBe(fs.statSync(path.join(root, 'a', 'b')).ino);
  });
});
