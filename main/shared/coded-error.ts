/**
 * The one host error type (issue 10.4): every layer (library, launcher, runtime loader, api, cli)
 * throws a `CodedError` whose `code` is one of `ERROR_CODES`, a message fit to show the person, and
 * optional `details` for scripts. Each front end maps codes in ONE table keyed by `ErrorCode` (the
 * window's in main/api/errors.ts, the CLI's exit codes in main/cli), so a new code fails to compile
 * until every table says what it means. Anything that is not a `CodedError` is a bug: `internal`,
 * logged with its stack, never shown raw.
 *
 * Not host errors, and so not `CodedError`: the runtime's `WasiError` (a guest errno) and `ProcExit`
 * (the guest's exit unwinding its stack), which never leave the worker as such.
 *
 * Imports nothing, so every layer (the runtime included) can use it.
 */

/** Every error code, grouped by who throws it. A table keyed by `ErrorCode` must list them all. */
export const ERROR_CODES = [
  // The contract (main/api): the request itself.
  'bad-request', 'unknown-request', 'unsupported',
  // Things the person names: apps, files, folders, answers.
  'not-found', 'bad-file', 'bad-folder', 'bad-path', 'bad-name', 'duplicate-name', 'unreadable',
  'no-preview', 'no-prompt', 'running', 'not-running',
  // Installing: sources, downloads, manifests, the stored module.
  'bad-url', 'bad-sha256', 'sha256-mismatch', 'unreachable', 'http-status', 'too-large', 'truncated', 'bad-manifest', 'planted-link',
  'module-changed', 'open-failed', 'future-schema',
  // A module refused at install (inspection) or by the binary reader.
  'empty', 'not-wasm', 'component', 'malformed', 'memory-over-cap', 'not-command', 'unsupported-imports',
  // A module refused when a run loads it (runtime/load.ts); `details.reason` may say which check.
  'cannot-load',
  // A granted folder that is no longer the one granted (runtime/pinned-folder.ts).
  'stale-folder',
  // Shortcuts and shell commands.
  'bad-command', 'exists', 'io',
  // The command line's own words (main/cli).
  'usage',
  // Anything else: a bug. Never thrown on purpose with a message meant for the person.
  'internal',
] as const;

/** One of `ERROR_CODES`. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Extra facts for scripts and logs (a JSON-able record), never needed to understand the message. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

/** A host failure with a stable `code` and a message fit to show the person. */
export class CodedError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;
  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'CodedError';
    this.code = code;
    this.details = details;
  }
}

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

/** Whether `code` is one of `ERROR_CODES` (for codes that arrive as data, e.g. from a worker). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && KNOWN.has(code);
}

/** Whether `err` is a `CodedError`, and (given `codes`) one with one of those codes. */
export function isCoded<C extends ErrorCode>(err: unknown, ...codes: C[]): err is CodedError & { code: C } {
  return err instanceof CodedError && (codes.length === 0 || (codes as ErrorCode[]).includes(err.code));
}

/** The code of `err`: its own when it is a `CodedError`, `internal` for anything else. */
export function codeOf(err: unknown): ErrorCode {
  return err instanceof CodedError ? err.code : 'internal';
}

/** A table from every code to a value (the window's error, the CLI's exit code): exhaustive by type. */
export type CodeTable<T> = { readonly [C in ErrorCode]: T };
