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
