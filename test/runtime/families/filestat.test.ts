/**
 * `path_filestat_get` writes every field of the guest's `filestat` as the host's own stat says,
 * with either host-calls implementation: the native one writes it straight from its stat buffer
 * (statMode/putStat; on Linux by a wasm function, host-calls/filestat-wasm.ts), the portable one
 * from a `HostStat`. Times before 1970 and with nanoseconds are compared exactly (modulo 2^64);
 * a symlink is the link itself without follow and its target with it; a path ending in "/" must
 * be a directory; a filestat that does not fit in memory is `fault`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Errno, Filetype, Layout, Lookupflags, RIGHTS_ALL } from '../../../main/runtime/abi.ts';
import { type HostFn, type HostWith, hostWith } from '../../helpers/host-with.ts';

type Fn = HostFn;
const F = Layout.filestat;
const OUT = 4096;

describe.runIf(process.platform === 'linux' || process.platform === 'darwin').each(['native', 'portable'])('path_filestat_get with the %s host calls', (kind) => {
  let dir: string;
  let wasi: Record<string, Fn>;
  let mem: import('../../../main/runtime/memory.ts').GuestMemory;
  let fds: import('../../../main/runtime/fd-table.ts').FdTable;
  let hostKind: string;
  let pre: number;

  let guest: HostWith;
  beforeAll(async () => {
    guest = await hostWith(kind as 'native' | 'portable', 'path_ops');
    ({ wasi, mem, fds, hostKind } = guest);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-filestat-'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'f'), 'x'.repeat(12345));
    fs.linkSync(path.join(dir, 'sub', 'f'), path.join(dir, 'hard'));
    fs.symlinkSync('sub/f', path.join(dir, 'link'));
    fs.symlinkSync('sub', path.join(dir, 'dirlink'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    // Exact nanoseconds, and a time before 1970 (negative seconds: stored modulo 2^64).
    const env = { ...process.env, TZ: 'UTC' };
    execFileSync('touch', ['-m', '-d', '2001-02-03 04:05:06.123456789', path.join(dir, 'sub', 'f')], { env });
    execFileSync('touch', ['-a', '-d', '1960-06-07 08:09:10.987654321', path.join(dir, 'sub', 'f')], { env });
    pre = fds.add({
      kind: 'dir', filetype: Filetype.directory, hostFd: fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY),
      rightsBase: RIGHTS_ALL, rightsInheriting: RIGHTS_ALL, fdflags: 0, readOnly: false, hostPath: dir, origin: 0, ask: false, preopen: '/data',
    });
  });
  afterAll(() => {
    guest.restore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Calls path_filestat_get on `name` (following when `follow`) into `out`; the errno. */
  const statGuest = (name: string, follow: boolean, out = OUT): number => {
    const bytes = Buffer.from(name);
    mem.write(1000, bytes);
    return wasi.path_filestat_get!(pre, follow ? Lookupflags.symlink_follow : 0, 1000, bytes.length, out);
  };
  /** The filestat the guest got at `out`, every field as a bigint. */
  const read = (out = OUT): bigint[] =>
    [F.dev, F.ino, F.filetype, F.nlink, F.size, F.atim, F.mtim, F.ctim].map((at) =>
      at === F.filetype ? BigInt(mem.u8At(out + at)) : mem.u64At(out + at));
  /** What the host says of `name`, in the same order. */
  const host = (name: string, follow: boolean, filetype: number): bigint[] => {
    const st = (follow ? fs.statSync : fs.lstatSync)(path.join(dir, name), { bigint: true });
    const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
    return [st.dev, st.ino, BigInt(filetype), st.nlink, st.size, u64(st.atimeNs), u64(st.mtimeNs), u64(st.ctimeNs)];
  };

  it('uses the implementation it was asked for', () => {
    expect(hostKind).toBe(kind);
  });

  it('writes a file\'s every field exactly, nanoseconds and a time before 1970 included', () => {
    mem.u8.fill(0xee, OUT, OUT + F.bytes);
    expect(statGuest('sub/f', false)).toBe(Errno.success);
    const got = read();
    expect(got).toEqual(host('sub/f', false, Filetype.regular_file));
    expect(got[3]).toBe(2n); // the hard link
    const ns = (ms: number, nsec: bigint): bigint => BigInt(ms / 1000) * 1_000_000_000n + nsec;
    expect(got[6]).toBe(ns(Date.UTC(2001, 1, 3, 4, 5, 6), 123456789n));
    expect(got[5]).toBe(BigInt.asUintN(64, ns(Date.UTC(1960, 5, 7, 8, 9, 10), 987654321n)));
    // The padding after the filetype byte is zeroed.
    expect([...mem.u8.subarray(OUT + F.filetype + 1, OUT + F.nlink)]).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('writes a folder, a FIFO and the grant itself', () => {
    expect(statGuest('sub', false)).toBe(0);
    expect(read()).toEqual(host('sub', false, Filetype.directory));
    expect(statGuest('fifo', false)).toBe(0);
    expect(read()).toEqual(host('fifo', false, Filetype.unknown));
    expect(statGuest('.', false)).toBe(0);
    expect(read()).toEqual(host('.', false, Filetype.directory));
  });

  it('sees a symlink itself without follow, and its target with it', () => {
    expect(statGuest('link', false)).toBe(0);
    expect(read()).toEqual(host('link', false, Filetype.symbolic_link));
    expect(statGuest('link', true)).toBe(0);
    expect(read()).toEqual(host('sub/f', false, Filetype.regular_file));
    expect(statGuest('dirlink/f', false)).toBe(0);
    expect(read()).toEqual(host('sub/f', false, Filetype.regular_file));
  });

  it('a trailing "/" asks for a folder: notdir for a file, and nothing written', () => {
    mem.u8.fill(0xee, OUT, OUT + F.bytes);
    expect(statGuest('sub/f/', false)).toBe(Errno.notdir);
    expect(mem.u8.subarray(OUT, OUT + F.bytes).every((b) => b === 0xee)).toBe(true);
    expect(statGuest('sub/', false)).toBe(0);
    expect(read()).toEqual(host('sub', false, Filetype.directory));
    expect(statGuest('nothing', false)).toBe(Errno.noent);
  });

  it('a filestat that does not fit in memory is fault, and nothing is written', () => {
    const end = mem.u8.length;
    mem.u8.fill(0xee, end - F.bytes, end);
    expect(statGuest('sub/f', false, end - F.bytes + 1)).toBe(Errno.fault);
    expect(mem.u8.subarray(end - F.bytes, end).every((b) => b === 0xee)).toBe(true);
    expect(statGuest('sub/f', false, end - F.bytes)).toBe(0);
    expect(read(end - F.bytes)).toEqual(host('sub/f', false, Filetype.regular_file));
  });

  it('after the guest\'s memory grows, writes into the grown memory', () => {
    const before = mem.u8.length;
    mem.memory.grow(1);
    expect(statGuest('sub/f', false, before + 8)).toBe(0);
    expect(read(before + 8)).toEqual(host('sub/f', false, Filetype.regular_file));
  });
});
