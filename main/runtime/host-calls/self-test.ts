import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import type { HostCalls, HostStat } from './types.ts';

/** Odd nanoseconds a double would round away (1.7e9 s has ~0.2 µs of precision left). */
const ATIM = 1_234_567_890_123_456_789n;
const MTIM = 1_600_000_000_987_654_321n;

function same(what: string, a: unknown, b: unknown): void {
  if (a !== b) throw new Error(`${what}: ${String(a)} (native) ≠ ${String(b)} (node:fs)`);
}

function sameStat(what: string, a: HostStat, b: fs.BigIntStats): void {
  same(`${what} dev`, a.dev, b.dev);
  same(`${what} ino`, a.ino, b.ino);
  same(`${what} size`, a.size, b.size);
  same(`${what} nlink`, a.nlink, b.nlink);
  same(`${what} mode`, a.mode, b.mode);
  same(`${what} mtime`, a.mtimeNs, b.mtimeNs);
}

/**
 * Proves `calls` on this host in a temporary folder: opens, creates, stats (following and not),
 * sets odd-nanosecond times by name and by fd and reads them back, reads a link, renames, links,
 * and compares every answer with Node's own `fs`. Throws with the first disagreement.
 */
export function selfTest(calls: HostCalls): void {
  const root = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'terrarium-hostcalls-'));
  const dirFd = fs.openSync(root, fs.constants.O_RDONLY | (fs.constants.O_DIRECTORY ?? 0));
  const dir = { fd: dirFd, path: root };
  const C = fs.constants;
  try {
    calls.mkdir(dir, 'sub');
    same('mkdir', fs.lstatSync(nodePath.join(root, 'sub')).isDirectory(), true);
    const fd = calls.open(dir, 'f', C.O_CREAT | C.O_EXCL | C.O_WRONLY | C.O_NOFOLLOW, 0o640);
    try {
      fs.writeSync(fd, 'terrarium');
      sameStat('fstat', calls.fstat(fd), fs.fstatSync(fd, { bigint: true }));
      calls.fsetTimes(fd, MTIM, 'omit');
      same('futimens atime', calls.fstat(fd).atimeNs, MTIM);
    } finally {
      calls.close(fd);
    }
    calls.symlink('f', dir, 'l');
    const path = nodePath.join(root, 'f');
    sameStat('stat', calls.stat(dir, 'f', false), fs.lstatSync(path, { bigint: true }));
    sameStat('stat follow', calls.stat(dir, 'l', true), fs.statSync(nodePath.join(root, 'l'), { bigint: true }));
    sameStat('stat nofollow', calls.stat(dir, 'l', false), fs.lstatSync(nodePath.join(root, 'l'), { bigint: true }));
    same('symlink', calls.stat(dir, 'l', false).isSymbolicLink(), true);
    same('readlink', calls.readlink(dir, 'l').toString(), 'f');
    calls.setTimes(dir, 'l', true, ATIM, MTIM);
    const st = fs.statSync(path, { bigint: true });
    same('utimensat atime', st.atimeNs, ATIM);
    same('utimensat mtime', st.mtimeNs, MTIM);
    same('stat atime', calls.stat(dir, 'f', false).atimeNs, ATIM);
    calls.link(dir, 'f', dir, 'h');
    same('link nlink', calls.stat(dir, 'f', false).nlink, 2n);
    const sub = { fd: fs.openSync(nodePath.join(root, 'sub'), C.O_RDONLY), path: nodePath.join(root, 'sub') };
    try {
      calls.rename(dir, 'h', sub, 'h2');
      same('renameat', fs.existsSync(nodePath.join(root, 'sub', 'h2')), true);
      calls.unlink(sub, 'h2');
    } finally {
      fs.closeSync(sub.fd);
    }
    calls.rmdir(dir, 'sub');
    same('rmdir', fs.existsSync(nodePath.join(root, 'sub')), false);
    calls.unlink(dir, 'l');
    same('unlinkat', fs.existsSync(nodePath.join(root, 'l')), false);
    let refused = '';
    try {
      calls.open(dir, 'missing', C.O_RDONLY | C.O_NOFOLLOW);
    } catch (err) {
      refused = String((err as NodeJS.ErrnoException).code);
    }
    same('openat error code', refused, 'ENOENT');
  } finally {
    fs.closeSync(dirFd);
    removeFolder(root);
  }
}

/** Removes the test folder: its files one by one when all went well (rmSync's walk is slower). */
function removeFolder(root: string): void {
  try {
    for (const name of fs.readdirSync(root)) fs.unlinkSync(nodePath.join(root, name));
    fs.rmdirSync(root);
  } catch {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
