/**
 * A stdin that is a host fd is read through the fs binding's `read` when `fsBindingRead` vouches
 * for it (host-fd-read.ts `readHostFd`), else through `fs.readSync`: both give the same bytes, counts and
 * errors. The binding aborts the process on an offset outside the buffer, so such a call never
 * reaches it. DirectStdio retries a read that failed with EINTR or EAGAIN whichever way it reads.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { Errno, Filetype, Rights } from '../../main/runtime/abi.ts';
import { FdTable } from '../../main/runtime/fd-table.ts';
import { createImports } from '../../main/runtime/host.ts';
import { GuestMemory } from '../../main/runtime/memory.ts';
import type { StdioPort } from '../../main/runtime/stdio.ts';
import { buildModule } from '../helpers/wasm-assembler.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

afterAll(removeTempDirs);

type Binding = (name: string) => { read?: unknown };
const proc = process as unknown as { binding: Binding };
const realBinding = proc.binding;
afterEach(() => {
  proc.binding = realBinding;
  vi.restoreAllMocks();
});

/**
 * stdio.ts and host-fd-read.ts loaded afresh (the reader is chosen once per load), with `binding`
 * as process.binding ('none': no such function).
 */
async function freshStdio(binding: Binding | 'none' = realBinding) {
  proc.binding = binding === 'none' ? undefined as unknown as Binding : binding;
  vi.resetModules();
  return import('../../main/runtime/stdio.ts');
}

/** host-fd-read.ts alone, loaded afresh as freshStdio loads it. */
async function freshReader(binding: Binding | 'none' = realBinding) {
  proc.binding = binding === 'none' ? undefined as unknown as Binding : binding;
  vi.resetModules();
  return import('../../main/runtime/host-fd-read.ts');
}

function fileWith(bytes: string): number {
  const file = path.join(tempDir('stdin-host-read'), 'in.txt');
  fs.writeFileSync(file, bytes);
  return fs.openSync(file, 'r');
}

/** What `f` throws, as the fields a caller reads. */
function thrown(f: () => unknown): { name: string; code?: string; errno?: number; syscall?: string } {
  try {
    f();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { name: e.name, code: e.code, errno: e.errno, syscall: e.syscall };
  }
  throw new Error('did not throw');
}

/** fd_read of fd 0 with one iovec, over `stdio`, in a memory of `pages` pages. */
function guestRead(stdio: StdioPort, pages = 1) {
  const module = new WebAssembly.Module(buildModule({ imports: ['fd_read'] }) as Uint8Array<ArrayBuffer>);
  const fds = new FdTable();
  fds.add({ kind: 'stdio', filetype: Filetype.character_device, stream: 0, fdflags: 0, rightsBase: Rights.fd_read, rightsInheriting: 0 });
  const ctx = { mem: new GuestMemory(new WebAssembly.Memory({ initial: pages })), fds, args: [], env: [], stdio };
  const read = (createImports(ctx, module, () => {}).wasi_snapshot_preview1 as Record<string, (...a: number[]) => number>).fd_read!;
  return { mem: ctx.mem, read: (buf: number, len: number): number => {
    ctx.mem.setU32(0, buf);
    ctx.mem.setU32(4, len);
    return read(0, 0, 1, 16);
  } };
}

test.runIf(process.versions.node.startsWith('24.'))('on Node 24 the binding is vouched for', async () => {
  const { fsBindingRead } = await freshReader();
  expect(fsBindingRead()).toBeTypeOf('function');
});

test('no binding, a throwing one, or one whose read does not fail as fs.readSync does: not used, and nothing warned', async () => {
  const warn = vi.spyOn(process, 'emitWarning');
  const deprecated: Binding = () => {
    process.emitWarning('process.binding() is deprecated', 'DeprecationWarning', 'DEP0111');
    return { read: () => 1 };
  };
  for (const binding of ['none' as const, () => { throw new Error('no such module'); }, () => ({}), deprecated]) {
    const { fsBindingRead, readHostFd } = await freshReader(binding);
    expect(fsBindingRead()).toBeUndefined();
    const fd = fileWith('abc');
    const mem = new Uint8Array(8);
    expect(readHostFd(fd, mem, 2, 6)).toBe(3); // fs.readSync
    expect(Buffer.from(mem.subarray(2, 5)).toString()).toBe('abc');
    fs.closeSync(fd);
  }
  expect(warn).not.toHaveBeenCalled();
});

describe.each([
  ['the fs binding', () => realBinding],
  ['fs.readSync', () => (() => { throw new Error('none'); }) as Binding],
])('readHostFd through %s', (_, binding) => {
  test('reads at the offset asked, short at the end of a file, then 0 (end of input)', async () => {
    const { readHostFd } = await freshReader(binding());
    const fd = fileWith('abcdef');
    const mem = new Uint8Array(16).fill(0xff);
    expect(readHostFd(fd, mem, 3, 4)).toBe(4);
    expect([...mem.subarray(2, 8)]).toEqual([0xff, 0x61, 0x62, 0x63, 0x64, 0xff]);
    expect(readHostFd(fd, mem, 0, 16)).toBe(2); // a short read
    expect(Buffer.from(mem.subarray(0, 2)).toString()).toBe('ef');
    expect(readHostFd(fd, mem, 0, 16)).toBe(0);
    fs.closeSync(fd);
  });

  test('a closed or invalid descriptor fails as fs.readSync fails; a range outside the buffer throws, never aborts', async () => {
    const { readHostFd } = await freshReader(binding());
    const fd = fileWith('abc');
    fs.closeSync(fd);
    const mem = new Uint8Array(8);
    expect(thrown(() => readHostFd(fd, mem, 0, 4))).toEqual(thrown(() => fs.readSync(fd, mem, 0, 4, null)));
    expect(thrown(() => readHostFd(fd, mem, 0, 4)).code).toBe('EBADF');
    expect(thrown(() => readHostFd(-1, mem, 0, 4))).toEqual(thrown(() => fs.readSync(-1, mem, 0, 4, null)));
    const open = fileWith('abcdefghijkl');
    expect(thrown(() => readHostFd(open, mem, 6, 4)).name).toBe('RangeError'); // runs past the end
    expect(thrown(() => readHostFd(open, mem, -1, 4)).name).toBe('RangeError');
    expect(readHostFd(open, mem, 8, 0)).toBe(0);
    expect(readHostFd(open, mem, 0, 8)).toBe(8); // nothing was consumed by the refused calls
    expect(Buffer.from(mem).toString()).toBe('abcdefgh');
    fs.closeSync(open);
  });

  test.skipIf(process.platform === 'win32')('a pipe: what was written, EAGAIN while empty (non-blocking), 0 once its writer is gone', async () => {
    const { readHostFd } = await freshReader(binding());
    const fifo = path.join(tempDir('stdin-host-read'), 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writer = fs.openSync(fifo, 'w');
    const mem = new Uint8Array(64);
    expect(thrown(() => readHostFd(reader, mem, 0, 64)).code).toBe('EAGAIN');
    fs.writeSync(writer, 'piped');
    expect(readHostFd(reader, mem, 10, 64 - 10)).toBe(5);
    expect(Buffer.from(mem.subarray(10, 15)).toString()).toBe('piped');
    fs.closeSync(writer);
    expect(readHostFd(reader, mem, 0, 64)).toBe(0);
    fs.closeSync(reader);
  });
});

describe('DirectStdio reading a host fd', () => {
  /** A binding whose read fails with each of `failures` (as Node's errors) before reading for real. */
  function failingFirst(failures: string[]): Binding {
    return (name) => {
      const real = realBinding(name) as { read(...a: unknown[]): number };
      return {
        read: (fd: number, ...rest: unknown[]) => {
          if (fd !== 0x7fffffff && failures.length > 0) {
            const code = failures.shift()!;
            throw Object.assign(new Error(`${code}: read`), { code, syscall: 'read' });
          }
          return real.read(fd, ...rest);
        },
      };
    };
  }

  test.runIf(process.versions.node.startsWith('24.'))('a read cut short by EINTR or EAGAIN is tried again; the guest gets the bytes', async () => {
    const failures = ['EINTR', 'EAGAIN', 'EINTR'];
    const { DirectStdio } = await freshStdio(failingFirst(failures));
    const fd = fileWith('after the signal');
    const { mem, read } = guestRead(new DirectStdio(() => true, fd));
    expect(read(100, 64)).toBe(Errno.success);
    expect(failures).toEqual([]);
    expect(mem.u32At(16)).toBe(16);
    expect(Buffer.from(mem.bytes(100, 16)).toString()).toBe('after the signal');
    expect(read(100, 64)).toBe(Errno.success);
    expect(mem.u32At(16)).toBe(0);
    fs.closeSync(fd);
  });

  test.runIf(process.versions.node.startsWith('24.'))('any other failure is the guest\'s error, and the next read goes on', async () => {
    const { DirectStdio } = await freshStdio(failingFirst(['EIO']));
    const fd = fileWith('xyz');
    const { mem, read } = guestRead(new DirectStdio(() => true, fd));
    expect(read(100, 64)).toBe(Errno.io);
    expect(read(100, 64)).toBe(Errno.success);
    expect(mem.u32At(16)).toBe(3);
    fs.closeSync(fd);
  });

  test('a buffer pointer and count with all their bytes in use (little-endian u32s)', async () => {
    const { DirectStdio } = await freshStdio();
    const len = 0x010203;
    const data = Buffer.alloc(len + 10, 'the quick brown fox');
    const fd = fileWith(data.toString('latin1'));
    const { mem, read } = guestRead(new DirectStdio(() => true, fd), 261); // past 0x01020304 + 0x010203
    expect(read(0x01020304, len)).toBe(Errno.success);
    expect(mem.u32At(16)).toBe(len);
    expect(Buffer.from(mem.bytes(0x01020304, len)).equals(data.subarray(0, len))).toBe(true);
    fs.closeSync(fd);
  });

  test('a closed host fd 0 is EBADF; a buffer out of range is a fault and reads nothing', async () => {
    const { DirectStdio } = await freshStdio();
    const closed = fileWith('abc');
    fs.closeSync(closed);
    expect(guestRead(new DirectStdio(() => true, closed)).read(100, 64)).toBe(Errno.badf);
    const fd = fileWith('abc');
    const { mem, read } = guestRead(new DirectStdio(() => true, fd));
    expect(read(65536 - 2, 8)).toBe(Errno.fault);
    expect(read(100, 64)).toBe(Errno.success);
    expect(Buffer.from(mem.bytes(100, mem.u32At(16))).toString()).toBe('abc');
    fs.closeSync(fd);
  });
});
