// A worker that loads the host calls as a run's worker does and reports what it got.
import { parentPort } from 'node:worker_threads';
import { hostCalls, hostCallsNote } from '../../main/runtime/host-calls/index.ts';

parentPort!.postMessage({ kind: hostCalls.kind, note: hostCallsNote ?? null });
