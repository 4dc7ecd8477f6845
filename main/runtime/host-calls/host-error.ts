import os from 'node:os';

/** errno numbers' names, made at the first error: most runs make none, and a start does not pay for the table (or node:os). */
let names: Map<number, string> | undefined;

function errnoName(errno: number): string | undefined {
  if (names === undefined) {
    names = new Map();
    for (const [name, n] of Object.entries(os.constants.errno)) if (!names.has(n)) names.set(n, name);
  }
  return names.get(errno);
}

/**
 * A Node-style error for a failed C library call: `code` is the errno's name ('ENOENT', ...),
 * `errno` its negated number and `syscall` the call, as Node's own `fs` errors carry them.
 */
export function hostError(errno: number, syscall: string, name: string): NodeJS.ErrnoException {
  const code = errnoName(errno) ?? `E${errno}`;
  const err: NodeJS.ErrnoException = new Error(`${code}: ${syscall} '${name}'`);
  err.code = code;
  err.errno = -errno;
  err.syscall = syscall;
  return err;
}
