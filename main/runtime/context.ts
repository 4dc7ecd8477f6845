import type { FdTable } from './fd-table.ts';
import type { GuestMemory } from './memory.ts';
import type { Asker } from './ask.ts';
import type { StdioPort } from './stdio.ts';
import type { PREVIEW1_SIGNATURES, Preview1Name } from '../wasm/preview1.ts';
import type { Growth } from './upgrade.ts';

/** The JavaScript type a core-wasm value type arrives as: i32 as a number, i64 as a BigInt. */
type ValueOf<T extends string> = T extends 'i32' ? number : T extends 'i64' ? bigint : never;

/** The parameter list of a "p1,p2,...": each value type as what it arrives as. */
type ParamsOf<S extends string> = S extends ''
  ? []
  : S extends `${infer Head},${infer Rest}` ? [ValueOf<Head>, ...ParamsOf<Rest>] : [ValueOf<S>];

/** A host function of signature "params->results": an errno, or nothing for `proc_exit`. */
type HostFunctionOf<Sig extends string> = Sig extends `${infer P}->${infer R}`
  ? (...args: ParamsOf<P>) => R extends '' ? void : number
  : never;

/** The host function of each preview1 function, typed by its spec signature (wasm/preview1.ts). */
export type Preview1Imports = { [N in Preview1Name]: HostFunctionOf<(typeof PREVIEW1_SIGNATURES)[N]> };

/**
 * A syscall family's slice of the import object: only preview1 names, each with its spec's
 * parameter types. A family writes `return { ... } satisfies Provider`, so a misspelt name or a
 * wrong parameter type does not compile; host.ts joins the families into the whole
 * `Preview1Imports`, so a missing function does not compile either.
 */
export type Provider = Partial<Preview1Imports>;

/** Any function of the import object, as the wrapper in host.ts handles it. */
export type WasiFunction = (...args: never[]) => number | void;

/** Everything the host functions of one run share. */
export interface WasiContext {
  /** The guest's memory; set right after instantiation, before `_start`. */
  mem: GuestMemory;
  fds: FdTable;
  /** argv, each encoded as UTF-8 with its terminating NUL. */
  args: Uint8Array[];
  /** `NAME=VALUE` strings, each encoded as UTF-8 with its terminating NUL. */
  env: Uint8Array[];
  stdio: StdioPort;
  /** Ask mode's questioner, when the run has an ask root. */
  asker?: Asker;
  /** Read-only folders upgraded to read & write this run (upgrade.ts), when the run can ask. */
  growth?: Growth;
}
