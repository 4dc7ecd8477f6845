/**
 * How `terrarium` exits (documented in the README): a run's own exit code, or one of these. An
 * error's exit code comes from ONE table keyed by its code (main/shared/coded-error.ts), so a new
 * code does not compile until this table says how the command line ends for it.
 */
import type { CodeTable, ErrorCode } from '../shared/coded-error.ts';

/** Exit codes of `terrarium` besides the guest's own. */
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

let table: CodeTable<number> | undefined;

/**
 * Each error code → the exit code. The command line's own mistakes (and a request the contract
 * refuses, which only a wrong word on the command line can cause) are usage errors; a module a run
 * cannot load is `load`; a bug is `internal`; everything else is a command that failed.
 * Made at the first call (a command that fails), not when the bundle's script loads: 40 keys'
 * map transitions and strings at every start (docs/design/start2.md, "Tables and checks at first use").
 */
export function exitCodes(): CodeTable<number> {
  const { failed, usage, internal, load } = ExitCode;
  return (table ??= {
  'bad-request': usage, 'unknown-request': internal, unsupported: failed,
  'not-found': failed, 'bad-file': failed, 'bad-folder': failed, 'bad-path': failed, 'bad-name': failed, 'duplicate-name': failed,
  unreadable: failed, 'no-preview': internal, 'no-prompt': internal, running: failed, 'not-running': failed,
  'bad-url': failed, 'bad-sha256': failed, 'sha256-mismatch': failed, unreachable: failed, 'http-status': failed, 'too-large': failed,
  truncated: failed, 'bad-manifest': failed, 'planted-link': failed, 'module-changed': failed, 'open-failed': failed, 'future-schema': failed,
  empty: failed, 'not-wasm': failed, component: failed, malformed: failed, 'memory-over-cap': failed, 'not-command': failed,
  'unsupported-imports': failed,
  'cannot-load': load, 'stale-folder': failed,
  'bad-command': failed, exists: failed, io: failed,
  usage,
  internal,
  });
}

/** The exit code for an error with `code`. */
export function exitCodeFor(code: ErrorCode): number {
  return exitCodes()[code];
}
