/**
 * The import wrapper (host.ts): a host exception that is neither a WasiError nor a mapped Node
 * error becomes `io` for the app and is reported as one line, its stack apart (for Terrarium's
 * log only, never the app's output).
 */
import fs from 'node:fs';
import { expect, test } from 'vitest';
import { Errno, Filetype, RIGHTS_ALL } from '../../main/runtime/abi.ts';
import { FdTable } from '../../main/runtime/fd-table.ts';
import { createImports } from '../../main/runtime/host.ts';
import { GuestMemory } from '../../main/runtime/memory.ts';
import { GuestStdio } from '../../main/runtime/stdio.ts';
import { Ring, createRing } from '../../main/runtime/ring.ts';
import { fixture } from '../helpers/paths.ts';
import { buildModule } from '../helpers/wasm-assembler.ts';

test('an internal error gives the app EIO and reports one line, the stack only as detail', () => {
  const module = new WebAssembly.Module(fs.readFileSync(fixture('stdio')));
  const fds = new FdTable();
  // A broken table entry (a host fd Node refuses with a RangeError that has no errno): a host bug.
  const fd = fds.add({
    kind: 'file', hostFd: -7, filetype: Filetype.regular_file, rightsBase: RIGHTS_ALL, rightsInheriting: 0,
    fdflags: 0, position: 0, readOnly: false, hostPath: '/nowhere', origin: 0, ask: false,
  });
  const ctx = {
    mem: new GuestMemory(new WebAssembly.Memory({ initial: 1 })), fds, args: [], env: [],
    stdio: new GuestStdio(new Ring(createRing(1024)), new Ring(createRing(1024))),
  };
  const reports: [string, string | undefined][] = [];
  const wasi = createImports(ctx, module, (message, detail) => reports.push([message, detail])).wasi_snapshot_preview1 as Record<string, unknown>;
  ctx.mem.setU32(0, 64); // one iovec: 8 bytes at 64
  ctx.mem.setU32(4, 8);
  expect((wasi.fd_pread as unknown as (...a: unknown[]) => number)(fd, 0, 1, 0n, 32)).toBe(Errno.io);
  expect(reports).toHaveLength(1);
  const [message, detail] = reports[0]!;
  expect(message).toMatch(/^internal error in fd_pread: RangeError: /);
  expect(message).not.toContain('\n');
  expect(message).not.toMatch(/\bat .*\.ts:\d+/);
  expect(detail).toMatch(/\n\s+at .*fd\.ts:\d+/);
});

test('an import named like an inherited property ("toString", "constructor") answers nosys, never a host function', () => {
  const names = ['toString', 'constructor', 'valueOf', 'hasOwnProperty'];
  const module = new WebAssembly.Module(buildModule({ imports: [...names, 'sched_yield'] }) as Uint8Array<ArrayBuffer>);
  const ctx = {
    mem: new GuestMemory(new WebAssembly.Memory({ initial: 1 })), fds: new FdTable(), args: [], env: [],
    stdio: new GuestStdio(new Ring(createRing(1024)), new Ring(createRing(1024))),
  };
  const wasi = createImports(ctx, module, () => {}).wasi_snapshot_preview1 as Record<string, (...a: unknown[]) => unknown>;
  for (const name of names) expect([name, wasi[name]!(0)]).toEqual([name, Errno.nosys]);
  expect(wasi.sched_yield!()).toBe(Errno.success);
});
