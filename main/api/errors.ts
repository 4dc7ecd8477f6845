/**
 * The one table from a host error's code to the error the window sees (issue 10.4). Every layer
 * throws a CodedError (main/shared/coded-error.ts); the window gets `{ ok: false, code, message }`
 * with the code this table gives and the error's own message. Anything that is not a CodedError
 * is a bug: the window gets `internal` and a fixed message, and the stack goes to the log.
 */
import { CodedError, type CodeTable, type ErrorCode } from '../shared/coded-error.ts';

/** The message the window gets for an error that is not a CodedError (its text may hold host details). */
export const INTERNAL_MESSAGE = 'internal error';

/**
 * Each code → the code the window sees. The renderer branches on some (not-found, not-running,
 * no-prompt, bad-command, exists); the rest are shown with their message. `usage` is the command
 * line's and never the window's: should it arrive here, it is a bug.
 */
export const WINDOW_CODES: CodeTable<ErrorCode> = {
  'bad-request': 'bad-request', 'unknown-request': 'unknown-request', unsupported: 'unsupported',
  'not-found': 'not-found', 'bad-file': 'bad-file', 'bad-folder': 'bad-folder', 'bad-path': 'bad-path', 'bad-name': 'bad-name',
  'duplicate-name': 'duplicate-name', unreadable: 'unreadable', 'no-preview': 'no-preview', 'no-prompt': 'no-prompt',
  running: 'running', 'not-running': 'not-running',
  'bad-url': 'bad-url', 'bad-sha256': 'bad-sha256', 'sha256-mismatch': 'sha256-mismatch', unreachable: 'unreachable', 'http-status': 'http-status', 'too-large': 'too-large', truncated: 'truncated',
  'bad-manifest': 'bad-manifest', 'planted-link': 'planted-link', 'module-changed': 'module-changed', 'open-failed': 'open-failed',
  'future-schema': 'future-schema',
  empty: 'empty', 'not-wasm': 'not-wasm', component: 'component', malformed: 'malformed', 'memory-over-cap': 'memory-over-cap',
  'not-command': 'not-command', 'unsupported-imports': 'unsupported-imports',
  'cannot-load': 'cannot-load', 'stale-folder': 'stale-folder',
  'bad-command': 'bad-command', exists: 'exists', io: 'io',
  usage: 'internal',
  internal: 'internal',
};

/** A failed request as the window gets it. */
export interface WindowError {
  ok: false;
  code: string;
  message: string;
}

/** Where an unexpected error's stack goes (default: stderr). */
export type ErrorLog = (message: string, err: unknown) => void;

const stderrLog: ErrorLog = (message, err) => console.error(message, err);

/** The window's error for `err`, thrown by request `name`; an unexpected one is logged with its stack. */
export function windowError(err: unknown, name: string, log: ErrorLog = stderrLog): WindowError {
  if (err instanceof CodedError) {
    const code = WINDOW_CODES[err.code];
    if (code !== 'internal') return { ok: false, code, message: err.message };
  }
  log(`terrarium: request ${name} failed`, err);
  return { ok: false, code: 'internal', message: INTERNAL_MESSAGE };
}
