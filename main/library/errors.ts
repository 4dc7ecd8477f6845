/**
 * The library's error type is the one coded error of every layer (main/shared/coded-error.ts).
 *
 * @deprecated `LibraryError` is only an alias kept for main/cli.ts's `instanceof` check until the
 * command line maps errors by code; new code throws and tests `CodedError`.
 */
export { CodedError as LibraryError } from '../shared/coded-error.ts';
