import type { FdTable } from './fd-table.ts';
import type { GuestMemory } from './memory.ts';
import type { Asker } from './ask.ts';
import type { Growth } from './upgrade.ts';
import type { GuestStdio } from './stdio.ts';

/** A function of the `wasi_snapshot_preview1` import object. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WasiFunction = (...args: any[]) => number | void;

/** A syscall family's slice of the import object. */
export type Provider = Record<string, WasiFunction>;

/** Everything the host functions of one run share. */
export interface WasiContext {
  /** The guest's memory; set right after instantiation, before `_start`. */
  mem: GuestMemory;
  fds: FdTable;
  /** argv, each encoded as UTF-8 with its terminating NUL. */
  args: Uint8Array[];
  /** `NAME=VALUE` strings, each encoded as UTF-8 with its terminating NUL. */
  env: Uint8Array[];
  stdio: GuestStdio;
  /** Ask mode's questioner, when the run has an ask root. */
  asker?: Asker;
  /** Read-only folders upgraded to read & write this run (upgrade.ts), when the run can ask. */
  growth?: Growth;
}
