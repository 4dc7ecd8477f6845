/** Exit codes of `terrarium run` besides the guest's own (documented in the README). */
export const ExitCode = {
  /** A library command failed (app not found, bad module, duplicate name...); one line says why. */
  failed: 1,
  /** The command line is wrong. */
  usage: 2,
  /** Terrarium itself failed unexpectedly. */
  internal: 70,
  /** The wall-clock limit (--timeout) was reached. */
  timeout: 124,
  /** The module could not be loaded: unreadable, not wasm, a component, not a WASI command, over the memory cap. */
  load: 125,
  /** Interrupted (Ctrl+C / SIGINT). */
  interrupted: 130,
  /** The guest trapped (crashed), including running out of its memory cap. */
  trap: 134,
  /** Standard output was closed by the reader (e.g. `| head`). */
  brokenPipe: 141,
} as const;
