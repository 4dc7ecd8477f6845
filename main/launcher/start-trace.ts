/**
 * Where a window run's start-up time goes (bench/window.ts --trace sets `mark`; unset otherwise, so
 * production pays one property read per step and logs nothing). A module of its own so that
 * launch.ts, which `run APP` loads from the library script, marks steps without importing the
 * window's warm chunk (an ES module: node:module and the shell's shim at every `run APP`).
 */
export const startTrace: { mark?: (step: string) => void } = {};
