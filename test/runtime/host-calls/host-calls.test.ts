/**
 * The host calls (main/runtime/host-calls/) on a real temporary folder: both implementations give
 * the answers Node's `fs` gives, fail with Node's error codes, set times as asked, and the native
 * one proves itself, falls back with one note, and can be forced.
 */
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errnoFromNode } from '../../../main/runtime/errors.ts';
import { Errno } from '../../../main/runtime/abi.ts';
import { pickHostCalls } from '../../../main/runtime/host-calls/index.ts';
import { loadNative } from '../../../main/runtime/host-calls/native.ts';
import { makedev } from '../../../main/runtime/host-calls/platform.ts';
import { portableCalls } from '../../../main/runtime/host-calls/portable.ts';
import { selfTest } from '../../../main/runtime/host-calls/self-test.ts';
import type { DirEntries, HostCalls } from '../../../main/runtime/host-calls/types.ts';
import { parseDirents } from '../../../main/runtime/host-calls/dirents.ts';

const C = fs.constants;
const hasNative = process.platform === 'linux' || process.platform === 'darwin';
const impls: [string, () => HostCalls][] = [
  ...(hasNative ? [['native', loadNative] as [string, () => HostCalls]] : []),
  ['portable', () => portableCalls],
];

/** The Node error code a call threw, or 'none'. */
function codeOf(f: () => unknown): string {
  try {
    f();
    return 'none';
  } catch (err) {
    return String((err as NodeJS.ErrnoException).code);
  }
}

describe.each(impls)('%s host calls', (_name, make) => {
  let calls: HostCalls;
  let root: string;
  let dir: { fd: number; path: string };

  beforeAll(() => {
    calls = make();
    root = fs.mkdtempSync(join(os.tmpdir(), 'terrarium-hc-'));
    fs.writeFileSync(join(root, 'file'), 'twelve bytes');
    fs.mkdirSync(join(root, 'sub'));
    fs.writeFileSync(join(root, 'sub', 'inner'), 'x');
    fs.symlinkSync('file', join(root, 'link'));
    fs.symlinkSync('sub', join(root, 'dirlink'));
    dir = { fd: fs.openSync(root, C.O_RDONLY | C.O_DIRECTORY), path: root };
  });
  afterAll(() => {
    fs.closeSync(dir.fd);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('passes the self-test only if it keeps nanoseconds (native does, portable does not)', () => {
    if (calls.kind === 'native') expect(() => selfTest(calls)).not.toThrow();
    else expect(() => selfTest(calls)).toThrow(/^futimens atime: \d+ \(native\) ≠ 1600000000987654321 \(node:fs\)$/);
  });

  it('stats exactly what Node stats, following a symlink only when asked', () => {
    for (const [name, follow] of [['file', false], ['link', false], ['link', true], ['sub', false], ['..', true]] as const) {
      const want = (follow ? fs.statSync : fs.lstatSync)(join(root, name), { bigint: true });
      const got = calls.stat(dir, name, follow);
      expect({ dev: got.dev, ino: got.ino, size: got.size, nlink: got.nlink, mode: got.mode, m: got.mtimeNs, c: got.ctimeNs })
        .toEqual({ dev: want.dev, ino: want.ino, size: want.size, nlink: want.nlink, mode: want.mode, m: want.mtimeNs, c: want.ctimeNs });
      expect([got.isFile(), got.isDirectory(), got.isSymbolicLink()])
        .toEqual([want.isFile(), want.isDirectory(), want.isSymbolicLink()]);
    }
  });

  it('opens one component without following a final symlink, and fstat agrees with Node', () => {
    const fd = calls.open(dir, 'file', C.O_RDONLY | C.O_NOFOLLOW);
    try {
      expect(fs.readFileSync(fd, 'utf8')).toBe('twelve bytes');
      const got = calls.fstat(fd);
      const want = fs.fstatSync(fd, { bigint: true });
      expect([got.dev, got.ino, got.size]).toEqual([want.dev, want.ino, want.size]);
    } finally {
      calls.close(fd);
    }
    expect(codeOf(() => calls.open(dir, 'link', C.O_RDONLY | C.O_NOFOLLOW))).toBe('ELOOP');
    expect(codeOf(() => calls.open(dir, 'dirlink', C.O_RDONLY | C.O_NOFOLLOW | C.O_DIRECTORY))).toMatch(/^(ELOOP|ENOTDIR)$/);
  });

  it('fails with Node error codes that the one errno table maps', () => {
    const cases: [() => unknown, string, number][] = [
      [() => calls.open(dir, 'missing', C.O_RDONLY), 'ENOENT', Errno.noent],
      [() => calls.open(dir, 'file', C.O_CREAT | C.O_EXCL | C.O_WRONLY), 'EEXIST', Errno.exist],
      [() => calls.stat(dir, 'file/x', false), 'ENOTDIR', Errno.notdir],
      [() => calls.rmdir(dir, 'sub'), 'ENOTEMPTY', Errno.notempty],
      [() => calls.unlink(dir, 'missing'), 'ENOENT', Errno.noent],
      [() => calls.mkdir(dir, 'sub'), 'EEXIST', Errno.exist],
      [() => calls.readlink(dir, 'file'), 'EINVAL', Errno.inval],
      [() => calls.fstat(123456), 'EBADF', Errno.badf],
    ];
    for (const [f, code, errno] of cases) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect((err as NodeJS.ErrnoException | undefined)?.code).toBe(code);
      expect(errnoFromNode(err)).toBe(errno);
    }
  });

  it('makes, links, renames, reads and removes entries relative to held directories', () => {
    const sub = { fd: fs.openSync(join(root, 'sub'), C.O_RDONLY), path: join(root, 'sub') };
    try {
      calls.mkdir(dir, 'made');
      calls.symlink('../file', sub, 'up');
      expect(calls.readlink(sub, 'up')).toEqual(Buffer.from('../file'));
      calls.link(dir, 'link', sub, 'hard'); // links the symlink itself
      expect(fs.readlinkSync(join(root, 'sub', 'hard'))).toBe('file');
      calls.rename(sub, 'hard', dir, 'moved');
      expect(fs.lstatSync(join(root, 'moved')).isSymbolicLink()).toBe(true);
      calls.unlink(dir, 'moved');
      calls.unlink(sub, 'up');
      calls.rmdir(dir, 'made');
      expect(fs.readdirSync(root).sort()).toEqual(['dirlink', 'file', 'link', 'sub']);
      expect(fs.readdirSync(join(root, 'sub'))).toEqual(['inner']);
    } finally {
      fs.closeSync(sub.fd);
    }
  });

  it('sets times by name (the link itself unless following) and by fd, keeping an omitted one', () => {
    const t = 1_500_000_000_000_000_000n;
    calls.setTimes(dir, 'file', false, t, t);
    const before = fs.lstatSync(join(root, 'link'), { bigint: true }).mtimeNs;
    calls.setTimes(dir, 'link', true, 'omit', t + 1_000_000_000n);
    expect(fs.statSync(join(root, 'file'), { bigint: true }).mtimeNs).toBe(t + 1_000_000_000n);
    expect(fs.statSync(join(root, 'file'), { bigint: true }).atimeNs).toBe(t);
    expect(fs.lstatSync(join(root, 'link'), { bigint: true }).mtimeNs).toBe(before);
    calls.setTimes(dir, 'link', false, t, t);
    expect(fs.lstatSync(join(root, 'link'), { bigint: true }).mtimeNs).toBe(t);
    const fd = fs.openSync(join(root, 'file'), 'r');
    try {
      calls.fsetTimes(fd, 'now', 'omit');
      const st = fs.fstatSync(fd, { bigint: true });
      expect(Number(st.atimeNs / 1_000_000n)).toBeGreaterThan(Date.now() - 60_000);
      expect(st.mtimeNs).toBe(t + 1_000_000_000n);
    } finally {
      fs.closeSync(fd);
    }
  });
});

describe.runIf(hasNative)('native host calls only', () => {
  it('set odd nanoseconds exactly (the portable ones round them through a double)', () => {
    const root = fs.mkdtempSync(join(os.tmpdir(), 'terrarium-hc-ns-'));
    const dir = { fd: fs.openSync(root, C.O_RDONLY), path: root };
    try {
      fs.writeFileSync(join(root, 'f'), '');
      const odd = 1_234_567_890_123_456_789n;
      loadNative().setTimes(dir, 'f', false, odd, odd + 2n);
      expect(fs.statSync(join(root, 'f'), { bigint: true }).mtimeNs).toBe(odd + 2n);
      portableCalls.setTimes(dir, 'f', false, odd, odd + 2n);
      expect(fs.statSync(join(root, 'f'), { bigint: true }).mtimeNs).not.toBe(odd + 2n);
    } finally {
      fs.closeSync(dir.fd);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('isDirAt: true only for the very directory (not a symlink to it, another one, a file, nothing)', () => {
    const root = fs.mkdtempSync(join(os.tmpdir(), 'terrarium-hc-isdir-'));
    const dir = { fd: fs.openSync(root, C.O_RDONLY), path: root };
    try {
      fs.mkdirSync(join(root, 'd'));
      fs.mkdirSync(join(root, 'e'));
      fs.writeFileSync(join(root, 'f'), '');
      fs.symlinkSync('d', join(root, 'l'));
      const { dev, ino } = fs.statSync(join(root, 'd'), { bigint: true });
      const native = loadNative().isDirAt!;
      // The inode number goes as its 32-bit halves.
      const isDirAt = (d: typeof dir, name: string, dv: bigint, i: bigint): boolean => native(d, name, dv, Number(i & 0xffffffffn), Number(i >> 32n));
      expect(isDirAt(dir, 'd', dev, ino)).toBe(true);
      expect(isDirAt(dir, 'l', dev, ino)).toBe(false);
      expect(isDirAt(dir, 'e', dev, ino)).toBe(false);
      expect(isDirAt(dir, 'd', dev + 1n, ino)).toBe(false);
      expect(isDirAt(dir, 'd', dev, ino + (1n << 32n))).toBe(false);
      const file = fs.statSync(join(root, 'f'), { bigint: true });
      expect(isDirAt(dir, 'f', file.dev, file.ino)).toBe(false);
      expect(isDirAt(dir, 'gone', dev, ino)).toBe(false);
      expect(isDirAt(dir, 'd\0x', dev, ino)).toBe(false);
      expect(isDirAt({ fd: -100, path: root }, 'd', dev, ino)).toBe(false); // never AT_FDCWD
      fs.renameSync(join(root, 'd'), join(root, 'moved'));
      fs.mkdirSync(join(root, 'd'));
      expect(isDirAt(dir, 'd', dev, ino)).toBe(false);
      expect(isDirAt(dir, 'moved', dev, ino)).toBe(true);
    } finally {
      fs.closeSync(dir.fd);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('close a native descriptor natively (Node never saw it) and any other through Node', () => {
    const calls = loadNative();
    const tmp = { fd: fs.openSync(os.tmpdir(), 'r'), path: os.tmpdir() };
    const fd = calls.open(tmp, '.', C.O_RDONLY);
    fs.closeSync(tmp.fd);
    calls.close(fd);
    expect(codeOf(() => fs.fstatSync(fd))).toBe('EBADF');
    const nodeFd = fs.openSync(os.tmpdir(), 'r');
    calls.close(nodeFd);
    expect(codeOf(() => fs.fstatSync(nodeFd))).toBe('EBADF');
  });
});

interface Row { name: string; ino: bigint; kind: string }

/** A `DirEntries` that keeps each entry as a row (its name decoded, its inode number whole). */
function collect(): DirEntries & { rows: Row[] } {
  const rows: Row[] = [];
  return {
    rows,
    addBytes: (src, start, end, kind, inoLo, inoHi) => {
      rows.push({ name: Buffer.from(src.subarray(start, end)).toString('utf8'), ino: (BigInt(inoHi) << 32n) | BigInt(inoLo), kind });
    },
  };
}

describe.runIf(process.platform === 'linux')('listing a held directory from its fd (getdents64)', () => {
  it('gives every entry but "." and "..", with the inode and kind lstat gives, and leaves the fd where it was', () => {
    const root = fs.mkdtempSync(join(os.tmpdir(), 'terrarium-hc-ls-'));
    fs.writeFileSync(join(root, 'f'), '');
    fs.mkdirSync(join(root, 'd'));
    fs.symlinkSync('f', join(root, 'l'));
    for (let i = 0; i < 3000; i++) fs.writeFileSync(join(root, `many-${i}-${'x'.repeat(40)}`), ''); // > one 64 KiB read
    const dir = { fd: fs.openSync(root, C.O_RDONLY), path: root };
    try {
      const listed = collect();
      loadNative().listDir!(dir, listed);
      const got = listed.rows;
      const want = fs.readdirSync(root).map((name) => {
        const st = fs.lstatSync(join(root, name), { bigint: true });
        return { name, ino: st.ino, kind: st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : 'file' };
      });
      const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
      expect(got.sort(byName)).toEqual(want.sort(byName));
      expect(fs.readdirSync(`/proc/self/fd/${dir.fd}`)).toHaveLength(3003); // the guest's fd is untouched
    } finally {
      fs.closeSync(dir.fd);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('parses dirent records: unknown d_type stays unknown (the caller stats it), "." and ".." are skipped (".x", "..y" and "..." are not)', () => {
    const L = { ino: 0, reclen: 16, type: 18, name: 19 };
    const rec = (ino: bigint, type: number, name: string): Buffer => {
      const len = Math.ceil((L.name + Buffer.byteLength(name) + 1) / 8) * 8;
      const b = Buffer.alloc(len);
      b.writeBigUInt64LE(ino, L.ino);
      b.writeUInt16LE(len, L.reclen);
      b.writeUInt8(type, L.type);
      b.write(name, L.name);
      return b;
    };
    const buf = Buffer.concat([rec(1n, 4, '.'), rec(2n, 4, '..'), rec(3n, 0, 'odd'), rec(2n ** 63n, 8, 'ünï'), rec(5n, 1, 'pipe'), rec(6n, 8, '.x'), rec(7n, 8, '..y'), rec(0x1_8000_0008n, 4, '...')]);
    const out = collect();
    parseDirents(buf, buf.length, L, out);
    expect(out.rows).toEqual([
      { name: 'odd', ino: 3n, kind: 'unknown' },
      { name: 'ünï', ino: 2n ** 63n, kind: 'file' },
      { name: 'pipe', ino: 5n, kind: 'fifo' },
      { name: '.x', ino: 6n, kind: 'file' },
      { name: '..y', ino: 7n, kind: 'file' },
      { name: '...', ino: 0x1_8000_0008n, kind: 'directory' },
    ]);
  });
});

describe.runIf(hasNative)('what the C library must never see', () => {
  it('a name with a NUL byte (C would cut it short) or a directory that is not held (AT_FDCWD)', () => {
    const calls = loadNative();
    const root = fs.mkdtempSync(join(os.tmpdir(), 'terrarium-hc-nul-'));
    const dir = { fd: fs.openSync(root, C.O_RDONLY), path: root };
    try {
      fs.writeFileSync(join(root, 'a'), 'A');
      expect(codeOf(() => calls.open(dir, 'a\0b', C.O_RDONLY))).toBe('EINVAL');
      expect(codeOf(() => calls.stat(dir, 'a\0', false))).toBe('EINVAL');
      expect(codeOf(() => calls.unlink(dir, 'a\0x'))).toBe('EINVAL');
      expect(codeOf(() => calls.symlink('a\0/../..', dir, 'l'))).toBe('EINVAL');
      // After a non-ASCII character too (the name is then encoded as a whole).
      expect(codeOf(() => calls.stat(dir, 'é\0a', false))).toBe('EINVAL');
      expect(codeOf(() => calls.mkdir(dir, 'dé\0x'))).toBe('EINVAL');
      expect(codeOf(() => calls.open(dir, 'ü\0', C.O_RDONLY | C.O_CREAT))).toBe('EINVAL');
      expect(fs.readdirSync(root)).toEqual(['a']);
      // fd -100 is AT_FDCWD on Linux: it would resolve against the process's current folder.
      expect(codeOf(() => calls.stat({ fd: -100, path: '' }, 'package.json', false))).toBe('EBADF');
      expect(codeOf(() => calls.open({ fd: -1, path: root }, 'a', C.O_RDONLY))).toBe('EBADF');
    } finally {
      fs.closeSync(dir.fd);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.runIf(hasNative)('names the native calls pass by address (one reused C string)', () => {
  it('each call sees its own whole name: shorter after longer, non-ASCII, and longer than the buffer', () => {
    const calls = loadNative();
    const root = fs.mkdtempSync(join(os.tmpdir(), 'terrarium-hc-names-'));
    const dir = { fd: fs.openSync(root, C.O_RDONLY), path: root };
    try {
      fs.writeFileSync(join(root, 'abc'), '3');
      fs.writeFileSync(join(root, 'abcdef'), 'six');
      // A shorter name after a longer one: its own NUL ends it ('abc', not 'abcdef').
      expect(calls.stat(dir, 'abcdef', false).size).toBe(3n);
      expect(calls.stat(dir, 'abc', false).size).toBe(1n);
      expect(codeOf(() => calls.stat(dir, 'ab', false))).toBe('ENOENT');
      // Non-ASCII names, also after an ASCII prefix, are the UTF-8 the file system holds.
      const names = ['ünï', 'aé', `${'ü'.repeat(120)}.txt`, '日本語', 'x😀y'];
      for (const name of names) {
        calls.close(calls.open(dir, name, C.O_WRONLY | C.O_CREAT | C.O_EXCL, 0o644));
        expect(calls.stat(dir, name, false).isFile()).toBe(true);
      }
      expect(fs.readdirSync(root).sort()).toEqual(['abc', 'abcdef', ...names].sort());
      calls.mkdir(dir, 'dé');
      expect(fs.statSync(join(root, 'dé')).isDirectory()).toBe(true);
      calls.rmdir(dir, 'dé');
      for (const name of names) calls.unlink(dir, name);
      expect(fs.readdirSync(root).sort()).toEqual(['abc', 'abcdef']);
      // Longer than the buffer (16 KiB): it grows, and the kernel judges the name.
      const long = 'é'.repeat(20_000);
      expect(codeOf(() => calls.stat(dir, long, false))).toBe('ENAMETOOLONG');
      expect(calls.stat(dir, 'abc', false).size).toBe(1n);
      expect(calls.fstat(dir.fd).isDirectory()).toBe(true);
    } finally {
      fs.closeSync(dir.fd);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('makedev (statx major/minor → the st.dev Node reports)', () => {
  it('matches glibc for small and large numbers', () => {
    expect(makedev(8, 1)).toBe(0x801n);
    expect(makedev(259, 3)).toBe(0x10303n);
    expect(makedev(0x12345, 0xabcdef)).toBe(0x1200abcd345efn);
  });
});

describe('picking the host calls', () => {
  const broken = (): HostCalls => {
    throw new Error('koffi did not load');
  };
  const fine = (): HostCalls => ({ ...portableCalls, kind: 'native' });

  it('uses the native ones when they prove themselves, and says nothing', () => {
    expect(pickHostCalls({}, fine)).toEqual({ calls: expect.objectContaining({ kind: 'native' }) });
  });
  it('falls back to the portable ones with one note saying why', () => {
    const r = pickHostCalls({}, broken);
    expect(r.calls).toBe(portableCalls);
    expect(r.note).toBe('host calls: using the portable ones (koffi did not load)');
  });
  it('is forced by TERRARIUM_HOST_CALLS, and forcing native where it fails is a clear error', () => {
    expect(pickHostCalls({ TERRARIUM_HOST_CALLS: 'portable' }, fine).calls).toBe(portableCalls);
    expect(pickHostCalls({ TERRARIUM_RESOLVER: 'portable' }, fine).calls).toBe(portableCalls);
    expect(() => pickHostCalls({ TERRARIUM_HOST_CALLS: 'native' }, broken))
      .toThrow('TERRARIUM_HOST_CALLS=native, but the native host calls are unavailable: koffi did not load');
    expect(() => pickHostCalls({ TERRARIUM_HOST_CALLS: 'fast' }, fine)).toThrow('must be "native" or "portable"');
    expect(() => pickHostCalls({ TERRARIUM_HOST_CALLS: 'native', TERRARIUM_RESOLVER: 'portable' }, fine)).toThrow('conflicts');
  });
  it.runIf(hasNative)('refuses native calls whose answers disagree with Node', () => {
    const real = loadNative();
    const lying: HostCalls = { ...real, stat: (d, n, f) => ({ ...real.stat(d, n, f), ino: 1n }) };
    expect(() => selfTest(lying)).toThrow(/ino: 1 \(native\) ≠ \d+ \(node:fs\)/);
    const r = pickHostCalls({}, () => {
      selfTest(lying);
      return lying;
    });
    expect(r.calls).toBe(portableCalls);
    expect(r.note).toMatch(/^host calls: using the portable ones \(stat ino: 1 \(native\)/);
  });
});

describe('Windows (by design: no guest-made symlinks, so no guest has a link to swap in)', () => {
  it('the portable symlink answers EPERM there (mapped to the guest as PERM) and creates nothing', () => {
    const root = fs.mkdtempSync(join(os.tmpdir(), 'terrarium-hc-win-'));
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { ...platform, value: 'win32' });
    let err: unknown;
    try {
      portableCalls.symlink('target', { fd: -1, path: root }, 'link');
    } catch (e) {
      err = e;
    } finally {
      Object.defineProperty(process, 'platform', platform);
      expect(fs.readdirSync(root)).toEqual([]);
      fs.rmSync(root, { recursive: true, force: true });
    }
    expect((err as NodeJS.ErrnoException | undefined)?.code).toBe('EPERM');
    expect(errnoFromNode(err)).toBe(Errno.perm);
  });
});
