/**
 * The one-iovec paths of fd_read and fd_write (main/runtime/families/fd.ts `oneIovec`, `putU32`):
 * stdin, stdout and a file, with the iovec and the count at every alignment (an aligned u32 is one
 * word of `GuestMemory.words`, an unaligned one is read and written byte by byte), into a memory
 * that grew between calls (its word view made again), and after thousands of calls (V8's
 * optimised code): every out-of-range iovec, buffer or count still faults, reading or writing nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Errno, Filetype, Rights, RIGHTS_ALL } from '../../../main/runtime/abi.ts';
import { FdTable } from '../../../main/runtime/fd-table.ts';
import { createImports } from '../../../main/runtime/host.ts';
import { GuestMemory } from '../../../main/runtime/memory.ts';
import { DirectStdio } from '../../../main/runtime/stdio.ts';
import { buildModule } from '../../helpers/wasm-assembler.ts';
import { removeTempDirs, tempDir } from '../../helpers/temp.ts';

afterAll(removeTempDirs);

type Call = (fd: number, iovs: number, iovsLen: number, out: number) => number;

/** fd_read and fd_write over fds 0-2 (stdin from `input`, output gathered) and `file` as fd 3. */
function setUp(input: Buffer, file?: string) {
  const dir = tempDir('fd-one-iovec');
  const inFile = path.join(dir, 'in');
  fs.writeFileSync(inFile, input);
  const out: Buffer[] = [];
  const stdio = new DirectStdio((_, data) => { out.push(Buffer.from(data)); return true; }, fs.openSync(inFile, 'r'));
  const fds = new FdTable();
  fds.add({ kind: 'stdio', filetype: Filetype.regular_file, stream: 0, fdflags: 0, rightsBase: Rights.fd_read, rightsInheriting: 0 });
  fds.add({ kind: 'stdio', filetype: Filetype.character_device, stream: 1, fdflags: 0, rightsBase: Rights.fd_write, rightsInheriting: 0 });
  fds.add({ kind: 'stdio', filetype: Filetype.character_device, stream: 2, fdflags: 0, rightsBase: Rights.fd_write, rightsInheriting: 0 });
  if (file !== undefined) {
    fds.add({
      kind: 'file', hostFd: fs.openSync(file, 'r+'), filetype: Filetype.regular_file, rightsBase: RIGHTS_ALL, rightsInheriting: 0,
      fdflags: 0, position: 0, readOnly: false, hostPath: file, origin: 0, ask: false,
    });
  }
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  const ctx = { mem: new GuestMemory(memory), fds, args: [], env: [], stdio };
  const module = new WebAssembly.Module(buildModule({ imports: ['fd_read', 'fd_write'] }) as Uint8Array<ArrayBuffer>);
  const wasi = createImports(ctx, module, () => {}).wasi_snapshot_preview1 as Record<string, Call>;
  const u8 = (): Uint8Array => new Uint8Array(memory.buffer);
  /** Little-endian u32 stores and loads at any address, straight on the memory's current buffer. */
  const put = (at: number, v: number): void => new DataView(memory.buffer).setUint32(at, v, true);
  const get = (at: number): number => new DataView(memory.buffer).getUint32(at, true);
  return { wasi, memory, out, u8, put, get, flush: () => stdio.flush() };
}

describe('one iovec at any alignment', () => {
  test.each([0, 1, 2, 3])('stdin, stdout and a file with the iovec and the count at offset %i from a word', (skew) => {
    const file = path.join(tempDir('fd-one-iovec'), 'f');
    fs.writeFileSync(file, 'file bytes');
    const g = setUp(Buffer.from('stdin bytes'), file);
    const iovs = 1000 + skew;
    const count = 2000 + ((skew * 3) & 3);
    g.put(iovs, 300);
    g.put(iovs + 4, 64);
    g.put(count, 0xdeadbeef);
    expect(g.wasi.fd_read!(0, iovs, 1, count)).toBe(Errno.success);
    expect(g.get(count)).toBe(11);
    expect(Buffer.from(g.u8().subarray(300, 311)).toString()).toBe('stdin bytes');

    g.put(count, 0xdeadbeef);
    expect(g.wasi.fd_read!(3, iovs, 1, count)).toBe(Errno.success);
    expect(g.get(count)).toBe(10);
    expect(Buffer.from(g.u8().subarray(300, 310)).toString()).toBe('file bytes');

    g.u8().set(Buffer.from('out!'), 400);
    g.put(iovs, 400);
    g.put(iovs + 4, 4);
    g.put(count, 0xdeadbeef);
    expect(g.wasi.fd_write!(1, iovs, 1, count)).toBe(Errno.success);
    expect(g.get(count)).toBe(4);
    expect(Buffer.concat(g.out).toString()).toBe('out!');
    expect(g.wasi.fd_write!(3, iovs, 1, count)).toBe(Errno.success);
    expect(fs.readFileSync(file, 'utf8')).toBe('file bytesout!');
  });

  test('a memory that grew between calls: the iovec and the count are read and written in the new buffer', () => {
    const g = setUp(Buffer.from('0123456789'));
    g.put(8, 100);
    g.put(12, 4);
    expect(g.wasi.fd_read!(0, 8, 1, 16)).toBe(Errno.success);
    expect(g.get(16)).toBe(4);
    g.memory.grow(1);
    // The iovec and the count now lie past the old end, the buffer too: all in the grown part.
    const base = 65536;
    g.put(base + 8, base + 100);
    g.put(base + 12, 3);
    g.put(base + 16, 0xdeadbeef);
    expect(g.wasi.fd_read!(0, base + 8, 1, base + 16)).toBe(Errno.success);
    expect(g.get(base + 16)).toBe(3);
    expect(Buffer.from(g.u8().subarray(base + 100, base + 103)).toString()).toBe('456');
    // And below the old end, in the new buffer.
    g.put(8, 200);
    g.put(12, 2);
    g.put(16, 0xdeadbeef);
    expect(g.wasi.fd_read!(0, 8, 1, 16)).toBe(Errno.success);
    expect(g.get(16)).toBe(2);
    expect(Buffer.from(g.u8().subarray(200, 202)).toString()).toBe('78');
  });
});

describe('out-of-range pointers fault, before and after the path is optimised', () => {
  const END = 65536;
  /** Every bad iovec, buffer and count place at `skew` from a word: all fault and move nothing. */
  const expectFaults = (g: ReturnType<typeof setUp>, skew: number): void => {
    const cases: [iovs: number, buf: number, len: number, count: number][] = [
      [END - 4 + (skew & 3), 100, 4, 16], // the iovec runs past the end
      [END + skew, 100, 4, 16], // the iovec starts past the end
      [0xfffffff8 + skew, 100, 4, 16], // the iovec is 4 GiB up
      [32 + skew, END - 2, 4, 16], // the buffer runs past the end
      [32 + skew, 0xffffffff, 1, 16], // the buffer is 4 GiB up
      [32 + skew, 100, 4, END - 2 + (skew & 1)], // the count runs past the end
      [32 + skew, 100, 4, 0xfffffffc], // the count is 4 GiB up
    ];
    for (const [iovs, buf, len, count] of cases) {
      if (iovs + 8 <= END) {
        g.put(iovs, buf);
        g.put(iovs + 4, len);
      }
      const before = g.out.length;
      expect([iovs, buf, count, g.wasi.fd_read!(0, iovs, 1, count)]).toEqual([iovs, buf, count, Errno.fault]);
      expect([iovs, buf, count, g.wasi.fd_write!(1, iovs, 1, count)]).toEqual([iovs, buf, count, Errno.fault]);
      expect(g.out.length).toBe(before);
    }
  };

  test('faults at every alignment after 5,000 good reads and writes, and no input was consumed by them', () => {
    const input = Buffer.alloc(5000 * 4 + 4, 'a');
    input.write('TAIL', 5000 * 4);
    const g = setUp(input);
    for (const skew of [0, 1, 2, 3]) expectFaults(g, skew);
    g.put(200, 100);
    g.put(204, 4);
    for (let i = 0; i < 5000; i++) {
      if (g.wasi.fd_read!(0, 200, 1, 208) !== Errno.success || g.get(208) !== 4) throw new Error(`read ${i}`);
      if (g.wasi.fd_write!(1, 200, 1, 208) !== Errno.success || g.get(208) !== 4) throw new Error(`write ${i}`);
    }
    for (const skew of [0, 1, 2, 3]) expectFaults(g, skew);
    // Nothing was read by the faulting calls: the last four bytes are still there.
    expect(g.wasi.fd_read!(0, 200, 1, 208)).toBe(Errno.success);
    expect(Buffer.from(g.u8().subarray(100, 104)).toString()).toBe('TAIL');
    g.flush();
    expect(Buffer.concat(g.out).length).toBe(5000 * 4);
  });
});
