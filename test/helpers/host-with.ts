/**
 * A guest's preview1 host functions with one host-calls implementation forced
 * (`TERRARIUM_HOST_CALLS`, runtime/host-calls/index.ts): the runtime's modules are loaded anew for
 * it, over a fresh memory (one page) and descriptor table, for family tests that run against both
 * implementations.
 */
import fs from 'node:fs';
import { vi } from 'vitest';
import type { FdTable } from '../../main/runtime/fd-table.ts';
import type { GuestMemory } from '../../main/runtime/memory.ts';
import { fixture } from './paths.ts';

export type HostFn = (...a: unknown[]) => number;

export interface HostWith {
  wasi: Record<string, HostFn>;
  mem: GuestMemory;
  fds: FdTable;
  /** The implementation the runtime reports it uses. */
  hostKind: string;
  /** Closes the table's descriptors and puts `TERRARIUM_HOST_CALLS` back. */
  restore(): void;
}

/** The host functions `fixtureName`'s module imports, with the `kind` host calls. */
export async function hostWith(kind: 'native' | 'portable', fixtureName: string): Promise<HostWith> {
  const saved = process.env.TERRARIUM_HOST_CALLS;
  process.env.TERRARIUM_HOST_CALLS = kind;
  vi.resetModules();
  const { FdTable } = await import('../../main/runtime/fd-table.ts');
  const { createImports } = await import('../../main/runtime/host.ts');
  const { GuestMemory } = await import('../../main/runtime/memory.ts');
  const { GuestStdio } = await import('../../main/runtime/stdio.ts');
  const { Ring, createRing } = await import('../../main/runtime/ring.ts');
  const hostKind = (await import('../../main/runtime/host-calls/index.ts')).hostCalls.kind;
  const module = new WebAssembly.Module(fs.readFileSync(fixture(fixtureName)));
  const fds = new FdTable();
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  const ctx = { mem, fds, args: [], env: [], stdio: new GuestStdio(new Ring(createRing(1024)), new Ring(createRing(1024))) };
  const wasi = createImports(ctx, module, () => {}).wasi_snapshot_preview1 as Record<string, HostFn>;
  return {
    wasi, mem, fds, hostKind,
    restore() {
      fds.closeAll();
      if (saved === undefined) delete process.env.TERRARIUM_HOST_CALLS;
      else process.env.TERRARIUM_HOST_CALLS = saved;
    },
  };
}
