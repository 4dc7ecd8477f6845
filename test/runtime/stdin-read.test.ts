/**
 * fd_read on stdin with one iovec reads straight into guest memory (families/fd.ts): the guest's
 * pointers are still checked before anything is read, so a bad iovec array, buffer or count
 * pointer answers `fault` and consumes no input, whether stdin is a host fd (DirectStdio, the
 * command's own thread) or the worker's stdin ring (GuestStdio). A host fd that is a non-blocking
 * pipe (its writer's choice) is waited on, not reported as EAGAIN.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Errno, Filetype, Rights } from '../../main/runtime/abi.ts';
import { FdTable } from '../../main/runtime/fd-table.ts';
import { createImports } from '../../main/runtime/host.ts';
import { GuestMemory } from '../../main/runtime/memory.ts';
import { DirectStdio, GuestStdio, type StdioPort } from '../../main/runtime/stdio.ts';
import { Ring, createRing } from '../../main/runtime/ring.ts';
import { buildModule } from '../helpers/wasm-assembler.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

afterAll(removeTempDirs);

const INPUT = Buffer.from('hello, stdin\n');

/** A stdin holding INPUT, both ways. */
const ports: [string, () => StdioPort][] = [
  ['a host fd (DirectStdio)', () => {
    const file = path.join(tempDir('stdin-read'), 'in.txt');
    fs.writeFileSync(file, INPUT);
    return new DirectStdio(() => true, fs.openSync(file, 'r'));
  }],
  ['the stdin ring (GuestStdio)', () => {
    const stdin = new Ring(createRing(1024));
    stdin.tryWrite(INPUT);
    stdin.close();
    return new GuestStdio(stdin, new Ring(createRing(1024)));
  }],
];

describe.each(ports)('stdin from %s', (_, makePort) => {
  test('one iovec: bad pointers fault before any byte is read, then a good read gets it all', () => {
    const module = new WebAssembly.Module(buildModule({ imports: ['fd_read'] }) as Uint8Array<ArrayBuffer>);
    const fds = new FdTable();
    fds.add({ kind: 'stdio', filetype: Filetype.character_device, stream: 0, fdflags: 0, rightsBase: Rights.fd_read, rightsInheriting: 0 });
    const ctx = { mem: new GuestMemory(new WebAssembly.Memory({ initial: 1 })), fds, args: [], env: [], stdio: makePort() };
    const read = (createImports(ctx, module, () => {}).wasi_snapshot_preview1 as Record<string, (...a: number[]) => number>).fd_read!;
    const END = 65536;
    const iovec = (at: number, buf: number, len: number): void => {
      ctx.mem.setU32(at, buf);
      ctx.mem.setU32(at + 4, len);
    };
    iovec(0, END - 4, 64); // the buffer runs past the end
    expect(read(0, 0, 1, 16)).toBe(Errno.fault);
    iovec(0, 100, 64);
    expect(read(0, 0, 1, END - 2)).toBe(Errno.fault); // the count pointer runs past the end
    expect(read(0, END - 4, 1, 16)).toBe(Errno.fault); // the iovec itself runs past the end
    iovec(0, -1, 1); // a "negative" buffer is 4 GiB up
    expect(read(0, 0, 1, 16)).toBe(Errno.fault);
    expect(read(1, 0, 1, 16)).toBe(Errno.badf); // not stdin

    iovec(0, 100, 64);
    expect(read(0, 0, 1, 16)).toBe(Errno.success);
    expect(ctx.mem.u32At(16)).toBe(INPUT.length);
    expect(Buffer.from(ctx.mem.bytes(100, INPUT.length))).toEqual(INPUT);
    expect(read(0, 0, 1, 16)).toBe(Errno.success);
    expect(ctx.mem.u32At(16)).toBe(0); // end of input
  });
});

test.skipIf(process.platform === 'win32')('a non-blocking pipe on stdin is waited on until its writer writes', async () => {
  const fifo = path.join(tempDir('stdin-read'), 'fifo');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writer = fs.openSync(fifo, 'w');
  // The writer is another process that writes a moment later; until then a read gets EAGAIN.
  const child = spawn('sh', ['-c', 'sleep 0.3; printf "late bytes"'], { stdio: ['ignore', writer, 'ignore'] });
  fs.closeSync(writer);
  const exited = new Promise((resolve) => child.on('close', resolve));
  const stdin = new DirectStdio(() => true, reader);
  const buf = new Uint8Array(64);
  const n = stdin.readInto(buf, 8, 32);
  expect(Buffer.from(buf.subarray(8, 8 + n)).toString()).toBe('late bytes');
  await exited;
  expect(stdin.read([buf])).toBe(0); // the writer is gone: end of input
  fs.closeSync(reader);
});
