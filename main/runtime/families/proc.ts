/** Process: `proc_exit`, `proc_raise`, `sched_yield`. */
import { Errno } from '../abi.ts';
import type { Provider } from '../context.ts';
import { ProcExit } from '../errors.ts';

/** The process family. */
export function proc() {
  return {
    /** Ends the run with exit code `code`; does not return. */
    proc_exit: (code: number) => {
      throw new ProcExit(code >>> 0);
    },
    /** Signals are not supported (the call is deprecated in preview1): `nosys`. */
    proc_raise: (_sig: number) => Errno.nosys,
    /** Yields the processor; the worker is already its own thread, so this returns at once. */
    sched_yield: () => 0,
  } satisfies Provider;
}
