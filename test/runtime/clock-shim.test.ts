/**
 * clock-shim.ts: the guest's `clock_time_get` goes through a small wasm module that drops the
 * ignored precision argument, and still answers as the spec says: the time written at `out`,
 * `fault` for a pointer outside memory, `inval` for an unknown clock.
 */
import { expect, test } from 'vitest';
import { Errno } from '../../main/runtime/abi.ts';
import { clockTimeGetImport } from '../../main/runtime/clock-shim.ts';
import { FdTable } from '../../main/runtime/fd-table.ts';
import { createImports } from '../../main/runtime/host.ts';
import { GuestMemory } from '../../main/runtime/memory.ts';
import { GuestStdio } from '../../main/runtime/stdio.ts';
import { Ring, createRing } from '../../main/runtime/ring.ts';
import { buildModule } from '../helpers/wasm-assembler.ts';

test('the shim passes id and out through, drops the precision and returns the host errno', () => {
  const calls: [number, number][] = [];
  const f = clockTimeGetImport((id, out) => {
    calls.push([id, out]);
    return id === 7 ? Errno.inval : 0;
  });
  expect(f(1, 123456789n, 64)).toBe(0);
  expect(f(7, -1n, 0x7fffffff)).toBe(Errno.inval);
  expect(calls).toEqual([[1, 64], [7, 0x7fffffff]]);
});

test('the imported clock_time_get writes the time and refuses bad pointers and clocks', () => {
  const module = new WebAssembly.Module(buildModule({ imports: ['clock_time_get'] }) as Uint8Array<ArrayBuffer>);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const ctx = {
    mem: new GuestMemory(memory), fds: new FdTable(), args: [], env: [],
    stdio: new GuestStdio(new Ring(createRing(1024)), new Ring(createRing(1024))),
  };
  const reports: string[] = [];
  const wasi = createImports(ctx, module, (m) => reports.push(m)).wasi_snapshot_preview1 as Record<string, (...a: unknown[]) => number>;
  const get = wasi.clock_time_get!;
  const before = process.hrtime.bigint();
  expect(get(1, 0n, 16)).toBe(0);
  const t = ctx.mem.u64At(16);
  expect(t >= before && t <= process.hrtime.bigint()).toBe(true);
  expect(get(0, 1000n, 24)).toBe(0);
  const wall = Number(ctx.mem.u64At(24) / 1_000_000n);
  expect(Math.abs(wall - Date.now())).toBeLessThan(1000);
  expect(get(1, 0n, 65536 - 4)).toBe(Errno.fault);
  expect(get(1, 0n, -8)).toBe(Errno.fault);
  expect(get(9, 0n, 16)).toBe(Errno.inval);
  // After growth the write lands in the new memory.
  memory.grow(1);
  expect(get(1, 0n, 65536 + 8)).toBe(0);
  expect(ctx.mem.u64At(65536 + 8) > 0n).toBe(true);
  expect(reports).toEqual([]);
});
