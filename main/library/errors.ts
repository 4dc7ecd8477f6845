/** The library's error type, in a module of its own so that it can be imported without SQLite. */

/** A library problem with a message fit to show the person. */
export class LibraryError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
