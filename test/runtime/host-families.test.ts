/**
 * createImports makes only the syscall families whose functions the module imports (host.ts
 * `providersOf`): a start that runs hello does not make the path, poll or socket families'
 * closures (docs/design/start2.md, "Tables and checks at first use"). The functions it gives are
 * the ones `providers` gives.
 */
import { expect, test, vi } from 'vitest';
import { FdTable } from '../../main/runtime/fd-table.ts';
import { createImports, providers, providersOf } from '../../main/runtime/host.ts';
import { warmUp } from '../../main/runtime/guest.ts';
import { GuestMemory } from '../../main/runtime/memory.ts';
import { Ring, createRing } from '../../main/runtime/ring.ts';
import { GuestStdio } from '../../main/runtime/stdio.ts';
import { PREVIEW1_NAMES } from '../../main/wasm/preview1.ts';
import { buildModule } from '../helpers/wasm-assembler.ts';
import * as path from '../../main/runtime/families/path.ts';
import * as poll from '../../main/runtime/families/poll.ts';

vi.mock('../../main/runtime/families/path.ts', async (original) => {
  const m = await original<typeof import('../../main/runtime/families/path.ts')>();
  return { ...m, pathOps: vi.fn(m.pathOps) };
});
vi.mock('../../main/runtime/families/poll.ts', async (original) => {
  const m = await original<typeof import('../../main/runtime/families/poll.ts')>();
  return { ...m, poll: vi.fn(m.poll) };
});

const context = () => ({
  mem: new GuestMemory(new WebAssembly.Memory({ initial: 1 })), fds: new FdTable(), args: [], env: [],
  stdio: new GuestStdio(new Ring(createRing(1024)), new Ring(createRing(1024))),
});
const moduleImporting = (names: string[]): WebAssembly.Module =>
  new WebAssembly.Module(buildModule({ imports: names }) as Uint8Array<ArrayBuffer>);

test('a module that imports no path or poll function does not make those families', () => {
  vi.mocked(path.pathOps).mockClear();
  vi.mocked(poll.poll).mockClear();
  const wasi = createImports(context(), moduleImporting(['fd_close', 'fd_fdstat_get', 'fd_seek', 'fd_write', 'proc_exit']), () => {})
    .wasi_snapshot_preview1 as Record<string, unknown>;
  expect(Object.keys(wasi).sort()).toEqual(['fd_close', 'fd_fdstat_get', 'fd_seek', 'fd_write', 'proc_exit']);
  for (const f of Object.values(wasi)) expect(typeof f).toBe('function');
  expect(path.pathOps).not.toHaveBeenCalled();
  expect(poll.poll).not.toHaveBeenCalled();
  // One that imports path_open makes the path family, once.
  createImports(context(), moduleImporting(['fd_write', 'path_open', 'path_unlink_file']), () => {});
  expect(path.pathOps).toHaveBeenCalledTimes(1);
});

test('the lookup gives, for every preview1 name, the function providers gives (the families\' names are disjoint)', () => {
  const ctx = context();
  const all = providers(ctx) as unknown as Record<string, unknown>;
  const lookup = providersOf(ctx);
  for (const name of PREVIEW1_NAMES) {
    // New closures each time: the same source text is the same function of the same family.
    expect([name, String(lookup(name))]).toEqual([name, String(all[name])]);
  }
});

test('a spare\'s warm-up still makes every family, so the run after it compiles none of them', () => {
  vi.mocked(path.pathOps).mockClear();
  vi.mocked(poll.poll).mockClear();
  warmUp();
  expect(path.pathOps).toHaveBeenCalledTimes(1);
  expect(poll.poll).toHaveBeenCalledTimes(1);
});
