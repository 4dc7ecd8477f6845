/**
 * The import wrapper (host.ts): a host exception that is neither a WasiError nor a mapped Node
 * error becomes `io` for the app and is reported as one line, its stack apart (for Terrarium's
 * log only, never the app's output).
 */
import fs from 'node:fs';
import { expect, test } from 'vitest';
import { Errno, Filetype, RIGHTS_ALL } from '../../main/runtime/abi.ts';
import { FdTable } from '../../main/runtime/fd-table.ts';
import { createImports, forwarder, wrap } from '../../main/runtime/host.ts';
import { ProcExit, WasiError } from '../../main/runtime/errors.ts';
import { PREVIEW1_NAMES, PREVIEW1_SIGNATURES } from '../../main/wasm/preview1.ts';
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
  // Two iovecs (8 bytes at 64, then none): the general path, Node's readvSync (one buffer would
  // go to the native pread, which answers the bad fd as badf).
  ctx.mem.setU32(0, 64);
  ctx.mem.setU32(4, 8);
  ctx.mem.setU32(8, 64);
  ctx.mem.setU32(12, 0);
  expect((wasi.fd_pread as unknown as (...a: unknown[]) => number)(fd, 0, 2, 0n, 32)).toBe(Errno.io);
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

test('the wrapper of every preview1 function takes its signature\'s parameters and passes them all on, errors mapped the same', () => {
  for (const name of PREVIEW1_NAMES) {
    const params = PREVIEW1_SIGNATURES[name].split('->')[0]!.split(',').filter(Boolean).length;
    const args = Array.from({ length: params }, (_, i) => (i % 2 ? BigInt(i) : i + 100));
    const seen: unknown[][] = [];
    // A host function with a default parameter still gets what the guest passed.
    const f = (first = -1, ...rest: unknown[]) => void seen.push([first, ...rest]);
    const reports: string[] = [];
    const w = wrap(name, f as never, (m) => reports.push(m)) as (...a: unknown[]) => number;
    // Fixed-arity wrappers (up to 5 parameters) declare them; path_open's 9 take the general one.
    expect([name, w.length]).toEqual([name, params <= 5 ? params : 0]);
    expect(w(...args)).toBe(0);
    expect(seen).toEqual([params === 0 ? [-1] : args]);
    const thrower = (err: unknown) => wrap(name, (() => { throw err; }) as never, (m) => reports.push(m)) as (...a: unknown[]) => number;
    expect(thrower(new WasiError(Errno.badf, 'x'))(...args)).toBe(Errno.badf);
    expect(thrower(Object.assign(new Error('gone'), { code: 'ENOENT' }))(...args)).toBe(Errno.noent);
    expect(thrower(new TypeError('bug'))(...args)).toBe(Errno.io);
    expect(() => thrower(new ProcExit(3))(...args)).toThrow(ProcExit);
    expect(reports).toEqual([`internal error in ${name}: TypeError: bug`]);
  }
});

test('a primed instance\'s forwarder of every preview1 function takes its signature\'s parameters and calls the slot\'s function as it is then', () => {
  for (const name of PREVIEW1_NAMES) {
    const params = PREVIEW1_SIGNATURES[name].split('->')[0]!.split(',').filter(Boolean).length;
    const args = Array.from({ length: params }, (_, i) => (i % 2 ? BigInt(i) : i + 100));
    const seen: unknown[][] = [];
    const slot = { f: (() => { throw new Error('unbound'); }) as never };
    const fwd = forwarder(name, slot) as (...a: unknown[]) => number;
    expect([name, fwd.length]).toEqual([name, params <= 5 ? params : 0]);
    expect(() => fwd(...args)).toThrow('unbound');
    slot.f = ((...a: unknown[]) => { seen.push(a); return 7; }) as never; // bound later, as at a run's start
    expect(fwd(...args)).toBe(7);
    expect(seen).toEqual([args]);
  }
});

test('a wrapper given its own arity (the clock shim\'s two) passes exactly those', () => {
  const seen: unknown[][] = [];
  const w = wrap('clock_time_get', ((...a: unknown[]) => void seen.push(a)) as never, () => {}, 2) as (...a: unknown[]) => number;
  expect(w.length).toBe(2);
  expect(w(1, 64)).toBe(0);
  expect(seen).toEqual([[1, 64]]);
});
