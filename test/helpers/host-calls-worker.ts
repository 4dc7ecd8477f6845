// A worker that loads the host calls as a run's worker does and reports what it got.
import { parentPort, workerData } from 'node:worker_threads';
import { hostCalls, onHostCallsNote } from '../../main/runtime/host-calls/index.ts';
import { useThreadData } from '../../main/runtime/host-calls/thread-data.ts';

useThreadData(workerData); // as worker-main.ts does

let note: string | null = null;
onHostCallsNote((n) => { note = n; });
const kind = hostCalls.kind; // the first use chooses (and gives the note, if any)
parentPort!.postMessage({ kind, note });
