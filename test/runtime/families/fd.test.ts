/**
 * File reads and writes with one buffer (main/runtime/families/fd.ts, `readOne`/`writeOne`/
 * `preadOne`/`pwriteOne`: what `read(fd, buf, n)`, `write(fd, buf, n)`, `pread` and `pwrite` make)
 * go straight between the file and guest memory,
 * and check what the general path checks, in the same order: the descriptor's rights, the iovec,
 * its whole buffer, the count's place, then (for a write) read-only before anything is written. A
 * bad pointer moves nothing: the file's offset and bytes stay as they were.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Errno, Fdflags, Filetype, RIGHTS_ALL, Rights } from '../../../main/runtime/abi.ts';
import type { WasiContext } from '../../../main/runtime/context.ts';
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
  let ctx: WasiContext;

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
    ctx = { mem, fds, args: [], env: [], stdio: new GuestStdio(new Ring(createRing(1024)), new Ring(createRing(1024))) };
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

  describe('at an offset (fd_pread, fd_pwrite)', () => {
    const FAR = 2n ** 63n - 1n;
    /** fd_pread or fd_pwrite with `n` iovecs at `iovs` (0: the one at 0, plus an empty one at 8 for two); [errno, count]. */
    const pio = (call: 'fd_pread' | 'fd_pwrite', fd: number, offset: bigint, { n = 1, iovs = 0, out = 32 } = {}): [number, number] => {
      mem.setU32(8, 600);
      mem.setU32(12, 0);
      if (out + 4 <= PAGE) mem.setU32(out, 0xdead);
      const errno = wasi[call]!(fd, iovs, n, offset, out);
      return [errno, out + 4 <= PAGE ? mem.u32At(out) : -1];
    };

    it('one buffer goes straight between the file and guest memory (no iovec array), at the offset, which stays', () => {
      const readv = vi.spyOn(fs, 'readvSync');
      const writev = vi.spyOn(fs, 'writevSync');
      try {
        const fd = open(RIGHTS_ALL);
        mem.write(100, Buffer.from('WORLD'));
        iovec(100, 5);
        expect(pio('fd_pwrite', fd, 6n)).toEqual([0, 5]);
        expect(fs.readFileSync(file, 'utf8')).toBe('hello WORLD');
        iovec(200, 64);
        expect(pio('fd_pread', fd, 4n)).toEqual([0, 7]);
        expect(Buffer.from(mem.bytes(200, 7)).toString()).toBe('o WORLD');
        expect(pio('fd_pread', fd, 11n)).toEqual([0, 0]); // at the end
        expect(pio('fd_pread', fd, 1000n)).toEqual([0, 0]); // past it
        expect(tell(fd)).toBe(0n);
        expect([readv.mock.calls.length, writev.mock.calls.length]).toEqual([0, 0]);
        // Two buffers take the general path, with the same result.
        expect(pio('fd_pread', fd, 4n, { n: 2 })).toEqual([0, 7]);
        expect(readv.mock.calls.length).toBe(1);
      } finally {
        readv.mockRestore();
        writev.mockRestore();
      }
    });

    it('a buffer ending at the memory\'s end is whole; one byte past it faults; a zero length moves nothing', () => {
      const fd = open(RIGHTS_ALL);
      iovec(PAGE - 5, 5);
      expect(pio('fd_pread', fd, 0n)).toEqual([0, 5]);
      expect(Buffer.from(mem.bytes(PAGE - 5, 5)).toString()).toBe('hello');
      expect(pio('fd_pwrite', fd, 6n)).toEqual([0, 5]);
      expect(fs.readFileSync(file, 'utf8')).toBe('hello hello');
      iovec(PAGE - 5, 6);
      expect(pio('fd_pread', fd, 0n)[0]).toBe(Errno.fault);
      expect(pio('fd_pwrite', fd, 0n)[0]).toBe(Errno.fault);
      iovec(PAGE, 0);
      expect(pio('fd_pread', fd, 0n)).toEqual([0, 0]);
      expect(pio('fd_pwrite', fd, 0n)).toEqual([0, 0]);
      iovec(PAGE + 1, 0);
      expect(pio('fd_pwrite', fd, 0n)[0]).toBe(Errno.fault);
      expect([tell(fd), fs.readFileSync(file, 'utf8')]).toEqual([0n, 'hello hello']);
    });

    it('checks in the general path\'s order: rights, the iovec, the count\'s place, then the offset', () => {
      iovec(100, 5);
      const noSeek = open(RIGHTS_ALL & ~Rights.fd_seek);
      const noRead = open(RIGHTS_ALL & ~Rights.fd_read);
      const noWrite = open(RIGHTS_ALL & ~Rights.fd_write);
      const fd = open(RIGHTS_ALL);
      const cases: [string, 'fd_pread' | 'fd_pwrite', number, bigint, { iovs?: number; out?: number }, number][] = [
        ['no seek right, bad iovec', 'fd_pread', noSeek, FAR, { iovs: PAGE - 4 }, Errno.notcapable],
        ['no seek right, bad iovec', 'fd_pwrite', noSeek, FAR, { iovs: PAGE - 4 }, Errno.notcapable],
        ['no read right', 'fd_pread', noRead, 0n, {}, Errno.notcapable],
        ['no write right', 'fd_pwrite', noWrite, 0n, {}, Errno.notcapable],
        ['iovec out of memory, bad offset', 'fd_pread', fd, FAR, { iovs: PAGE - 4 }, Errno.fault],
        ['iovec out of memory, bad offset', 'fd_pwrite', fd, -1n, { iovs: PAGE - 4 }, Errno.fault],
        ['count out of memory, bad offset', 'fd_pread', fd, FAR, { out: PAGE - 3 }, Errno.fault],
        ['count out of memory, bad offset', 'fd_pwrite', fd, FAR, { out: PAGE - 3 }, Errno.fault],
        ['offset 2^53', 'fd_pread', fd, 2n ** 53n, {}, Errno.inval],
        ['offset 2^53', 'fd_pwrite', fd, 2n ** 53n, {}, Errno.inval],
        ['offset -1', 'fd_pread', fd, -1n, {}, Errno.inval],
        ['offset -1', 'fd_pwrite', fd, -1n, {}, Errno.inval],
      ];
      mem.write(100, Buffer.from('XXXXX'));
      for (const [what, call, d, offset, at, errno] of cases) {
        expect([what, call, pio(call, d, offset, at)[0]]).toEqual([what, call, errno]);
        // The general path (a second, empty buffer) answers the same.
        if (at.iovs === undefined) expect([what, call, pio(call, d, offset, { ...at, n: 2 })[0]]).toEqual([what, call, errno]);
      }
      expect(fs.readFileSync(file, 'utf8')).toBe('hello world');
      // A buffer past the memory in the iovec (not the iovec itself) faults before the offset too.
      iovec(PAGE - 2, 5);
      expect(pio('fd_pread', fd, FAR)[0]).toBe(Errno.fault);
      expect(pio('fd_pwrite', fd, FAR)[0]).toBe(Errno.fault);
    });

    it('a read-only descriptor reads but writes nothing, not even no bytes; an upgradable one asks first', () => {
      mem.write(100, Buffer.from('HELLO'));
      const readOnly = open(RIGHTS_ALL, 0, true);
      iovec(100, 5);
      expect(pio('fd_pwrite', readOnly, 0n)[0]).toBe(Errno.notcapable);
      iovec(100, 0);
      expect(pio('fd_pwrite', readOnly, 0n)[0]).toBe(Errno.notcapable);
      expect(pio('fd_pwrite', readOnly, FAR)[0]).toBe(Errno.inval); // the offset is checked first
      iovec(200, 5);
      expect(pio('fd_pread', readOnly, 6n)).toEqual([0, 5]);
      expect(fs.readFileSync(file, 'utf8')).toBe('hello world');

      const asked: string[] = [];
      let allow = false;
      const grown = new Set<number>();
      ctx.asker = { ask: (op, p) => (asked.push(`${op} ${p}`), allow), generation: () => 0 };
      ctx.growth = { has: (o) => grown.has(o), grow: (o) => void grown.add(o) };
      const upgradable = open(RIGHTS_ALL, 0, true);
      (fds.get(upgradable, 0) as { upgradable?: boolean }).upgradable = true;
      iovec(100, 5);
      expect(pio('fd_pwrite', upgradable, 0n)[0]).toBe(Errno.notcapable);
      expect(fs.readFileSync(file, 'utf8')).toBe('hello world');
      allow = true;
      expect(pio('fd_pwrite', upgradable, 0n)).toEqual([0, 5]);
      expect(pio('fd_pwrite', upgradable, 0n)).toEqual([0, 5]); // upgraded: not asked again
      expect([asked, fs.readFileSync(file, 'utf8')]).toEqual([[`write ${file}`, `write ${file}`], 'HELLO world']);
    });
  });
});
