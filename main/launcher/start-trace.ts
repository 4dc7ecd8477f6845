/**
 * Where a window run's start-up time goes (bench/window.ts --trace sets `mark`; unset otherwise, so
 * production pays one property read per step and logs nothing). A module of its own, in the
 * library's script chunk with launch.ts, which marks the cold load in a worker: from warm.ts, a
 * `run APP` imported warm.ts's ES chunk (node:module, the module compile cache and a link: the
 * library script's only ES dependency; docs/design/runapp.md, eighth pass). warm.ts re-exports it.
 */
export const startTrace: { mark?: (step: string) => void } = {};
