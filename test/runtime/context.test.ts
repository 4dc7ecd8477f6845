/**
 * The runtime typed by the spec (context.ts): providers are keyed by the 46 preview1 names with
 * each function's spec parameter types. The `@ts-expect-error` lines are checked by `tsc`
 * (npm run typecheck, which includes test/): if a misspelt name, a wrong parameter type or a
 * missing function ever compiled again, the directive would be unused and tsc would fail.
 */
import { expect, test } from 'vitest';
import type { Preview1Imports, Provider } from '../../main/runtime/context.ts';
import { FdTable } from '../../main/runtime/fd-table.ts';
import { providers } from '../../main/runtime/host.ts';
import { GuestMemory } from '../../main/runtime/memory.ts';
import { Ring, createRing } from '../../main/runtime/ring.ts';
import { GuestStdio } from '../../main/runtime/stdio.ts';
import { PREVIEW1_NAMES } from '../../main/wasm/preview1.ts';

const misspelt = {
  // @ts-expect-error a misspelt preview1 name is no key of a Provider (it would answer nosys)
  fd_raed: () => 0,
} satisfies Provider;

const mistyped = {
  // @ts-expect-error fd_seek's offset is an i64, which arrives as a BigInt, not a number
  fd_seek: (_fd: number, _offset: number, _whence: number, _out: number) => 0,
} satisfies Provider;

const someFamilies: Omit<Preview1Imports, 'sched_yield'> = { ...providers(context()) };
// @ts-expect-error the families without one function are not the whole import object
const missing: Preview1Imports = someFamilies;

function context() {
  return {
    mem: new GuestMemory(new WebAssembly.Memory({ initial: 1 })), fds: new FdTable(), args: [], env: [],
    stdio: new GuestStdio(new Ring(createRing(1024)), new Ring(createRing(1024))),
  };
}

test('the families provide exactly the 46 preview1 functions', () => {
  expect(Object.keys(providers(context())).sort()).toEqual([...PREVIEW1_NAMES].sort());
  expect(PREVIEW1_NAMES).toHaveLength(46);
});

test('the type-level cases above are real values (each would run if it compiled)', () => {
  expect(Object.keys(misspelt)).toEqual(['fd_raed']);
  expect(mistyped.fd_seek(0, 0, 0, 0)).toBe(0);
  expect(Object.keys(missing)).toHaveLength(46);
});
