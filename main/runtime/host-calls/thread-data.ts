/**
 * What the thread that started this worker handed the host calls in its `workerData` (run.ts
 * `WorkerData`): the per-process verdict and the packaged app's resources folder. A run's worker
 * passes it in (worker-main.ts `useThreadData`) as it starts; a thread nobody started (the
 * command's own, for a same-thread run) has none, and so never loads node:worker_threads to look
 * (~3 ms of a command's start-up).
 */
export interface HostCallsThreadData {
  hostCallsVerdict?: unknown;
  resourcesPath?: string;
}

let given: HostCallsThreadData | null = null;

/** Hands the host calls this worker's `workerData` (before their first use). */
export function useThreadData(data: unknown): void {
  given = typeof data === 'object' ? (data as HostCallsThreadData | null) : null;
}

/** This worker's `workerData` as `useThreadData` was given it; null on a thread nobody started. */
export function threadData(): HostCallsThreadData | null {
  return given;
}

/**
 * True on the process's main thread, without loading node:worker_threads there (~5 ms of CPU: it
 * loads the stream library; a same-thread run never needs it). A worker thread's bootstrap loads
 * node:worker_threads and internal/process/worker_thread_only: a thread whose list of loaded
 * built-ins (`process.moduleLoadList`, Node's own record of this thread's) has neither is the
 * main one; otherwise node:worker_threads is loaded already (or this is a runtime without the
 * list) and says. test/runtime/host-calls/thread-data.test.ts holds it to `isMainThread`.
 */
export function onMainThread(): boolean {
  const loaded = (process as { moduleLoadList?: unknown }).moduleLoadList;
  if (Array.isArray(loaded) && loaded.length > 0
    && !loaded.includes('NativeModule worker_threads') && !loaded.includes('NativeModule internal/process/worker_thread_only')) {
    return true;
  }
  return process.getBuiltinModule('node:worker_threads').isMainThread;
}
