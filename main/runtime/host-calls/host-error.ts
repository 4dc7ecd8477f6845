import os from 'node:os';

const NAMES = new Map<number, string>();
for (const [name, n] of Object.entries(os.constants.errno)) if (!NAMES.has(n)) NAMES.set(n, name);

/**
 * A Node-style error for a failed C library call: `code` is the errno's name ('ENOENT', ...),
 * `errno` its negated number and `syscall` the call, as Node's own `fs` errors carry them.
 */
export function hostError(errno: number, syscall: string, name: string): NodeJS.ErrnoException {
  const code = NAMES.get(errno) ?? `E${errno}`;
  const err: NodeJS.ErrnoException = new Error(`${code}: ${syscall} '${name}'`);
  err.code = code;
  err.errno = -errno;
  err.syscall = syscall;
  return err;
}
