import { threadData } from './thread-data.ts';

const UNKNOWN = 0;
const PROVEN = 1;
const FAILED = 2;

/**
 * The process's verdict on the native host calls, shared by every run's worker so that only the
 * first one pays for the self-test (and only it writes the log line when they fail). The thread
 * that starts workers makes one (`createVerdict`) and passes it as `workerData.hostCallsVerdict`.
 */
export function createVerdict(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

function shared(): Int32Array | undefined {
  const v = threadData()?.hostCallsVerdict;
  return v instanceof SharedArrayBuffer ? new Int32Array(v) : undefined;
}

/** What an earlier worker of this process found: 'proven', 'failed' or undefined (not tried). */
export function earlierVerdict(): 'proven' | 'failed' | undefined {
  const v = shared();
  const state = v === undefined ? UNKNOWN : Atomics.load(v, 0);
  return state === PROVEN ? 'proven' : state === FAILED ? 'failed' : undefined;
}

/** Records this worker's finding for the ones after it. */
export function recordVerdict(proven: boolean): void {
  const v = shared();
  if (v !== undefined) Atomics.store(v, 0, proven ? PROVEN : FAILED);
}
