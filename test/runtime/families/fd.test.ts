/**
 * File reads and writes with one buffer (main/runtime/families/fd.ts, `readOne`/`writeOne`: what
 * `read(fd, buf, n)` and `write(fd, buf, n)` make) go straight between the file and guest memory,
 * and check what the general path checks, in the same order: the descriptor's rights, the iovec,
 * its whole buffer, the count's place, then (for a write) read-only before anything is written. A
 * bad pointer moves nothing: the file's offset and bytes stay as they were.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Errno, Fdflags, Filetype, RIGHTS_ALL, Rights } from '../../../main/runtime/abi.ts';
import { FdTable } from '../../../main/runtime/fd-table.ts';
import { createImports } from '../../../main/runtime/host.ts';
import { GuestMemory } from '../../../main/runtime/memory.ts';
import { GuestStdio } from '../../../main/runtime/stdio.ts';
import { Ring, createRing } from '../../../main/runtime/ring.ts';
import { fixture } from '../../helpers/paths.ts';

const PAGE = 65536;
type Fn = (...a: unknown[]) => number;

describe('one-buffer file reads and writes', () => {
  let dir: string;
  let file: string;
  let wasi: Record<string, Fn>;
  let mem: GuestMemory;
  let fds: FdTable;
  let hostFd: number;

  /** A file descriptor for `file` with `rights`, `fdflags`, read-only or not; its guest number. */
  const open = (rights: number, fdflags = 0, readOnly = false): number => {
    hostFd = fs.openSync(file, 'r+');
    return fds.add({
      kind: 'file', hostFd, filetype: Filetype.regular_file, rightsBase: rights, rightsInheriting: 0,
      fdflags, position: 0, readOnly, hostPath: file, origin: 0, ask: false,
    });
  };
  /** One iovec at 0: `len` bytes at `ptr`. */
  const iovec = (ptr: number, len: number): void => {
    mem.setU32(0, ptr);
    mem.setU32(4, len);
  };
  const tell = (fd: number): bigint => {
    expect(wasi.fd_tell!(fd, 16)).toBe(0);
    return mem.u64At(16);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-fd-one-'));
    file = path.join(dir, 'f');
    fs.writeFileSync(file, 'hello world');
    const module = new WebAssembly.Module(fs.readFileSync(fixture('fd_basic')));
    fds = new FdTable();
    mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
    const ctx = { mem, fds, args: [], env: [], stdio: new GuestStdio(new Ring(createRing(1024)), new Ring(createRing(1024))) };
    wasi = createImports(ctx, module, () => {}).wasi_snapshot_preview1 as Record<string, Fn>;
  });
  afterEach(() => {
    fds.closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads at the offset into guest memory and moves the offset', () => {
    const fd = open(RIGHTS_ALL);
    iovec(100, 5);
    expect(wasi.fd_read!(fd, 0, 1, 8)).toBe(0);
    expect([mem.u32At(8), Buffer.from(mem.bytes(100, 5)).toString()]).toEqual([5, 'hello']);
    iovec(200, 100);
    expect(wasi.fd_read!(fd, 0, 1, 8)).toBe(0);
    expect([mem.u32At(8), Buffer.from(mem.bytes(200, 6)).toString(), tell(fd)]).toEqual([6, ' world', 11n]);
    iovec(200, 0);
    expect([wasi.fd_read!(fd, 0, 1, 8), mem.u32At(8)]).toEqual([0, 0]);
  });

  it('writes at the offset, or at the end with append, and moves the offset', () => {
    const fd = open(RIGHTS_ALL);
    mem.write(100, Buffer.from('HELLO'));
    iovec(100, 5);
    expect([wasi.fd_write!(fd, 0, 1, 8), mem.u32At(8), tell(fd)]).toEqual([0, 5, 5n]);
    expect(fs.readFileSync(file, 'utf8')).toBe('HELLO world');
    const app = open(RIGHTS_ALL, Fdflags.append);
    expect([wasi.fd_write!(app, 0, 1, 8), tell(app)]).toEqual([0, 16n]);
    expect(fs.readFileSync(file, 'utf8')).toBe('HELLO worldHELLO');
  });

  it('a buffer or count out of memory faults and moves nothing', () => {
    const fd = open(RIGHTS_ALL);
    for (const [ptr, len, out, iovs] of [[PAGE - 4, 5, 8, 0], [100, 5, PAGE - 3, 0], [100, 5, 8, PAGE - 4], [100, 0xffffffff, 8, 0]] as const) {
      if (iovs === 0) iovec(ptr, len);
      mem.write(100, Buffer.from('XXXXX'));
      expect(wasi.fd_read!(fd, iovs, 1, out)).toBe(Errno.fault);
      expect(wasi.fd_write!(fd, iovs, 1, out)).toBe(Errno.fault);
      expect([tell(fd), fs.readFileSync(file, 'utf8')]).toEqual([0n, 'hello world']);
    }
  });

  it('needs the right, and a read-only descriptor writes nothing', () => {
    iovec(100, 5);
    const noRead = open(RIGHTS_ALL & ~Rights.fd_read);
    expect(wasi.fd_read!(noRead, 0, 1, 8)).toBe(Errno.notcapable);
    const noWrite = open(RIGHTS_ALL & ~Rights.fd_write);
    expect(wasi.fd_write!(noWrite, 0, 1, 8)).toBe(Errno.notcapable);
    const readOnly = open(RIGHTS_ALL, 0, true);
    expect(wasi.fd_write!(readOnly, 0, 1, 8)).toBe(Errno.notcapable);
    expect(fs.readFileSync(file, 'utf8')).toBe('hello world');
  });
});
