import { Errno } from './abi.ts';

/** Thrown by host helpers to make the current WASI call return `errno`. */
export class WasiError extends Error {
  readonly errno: number;
  constructor(errno: number, message?: string) {
    super(message ?? `WASI errno ${errno}`);
    this.errno = errno;
  }
}

/** Thrown by `proc_exit` to unwind the guest's stack; carries the exit code. */
export class ProcExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`proc_exit(${code})`);
    this.code = code;
  }
}

/**
 * Node's `err.code` strings mapped to WASI errno; anything else is `io`. Made at the first error
 * (`nodeCodes`): ~60 property reads that every start paid at load (~0.1 ms, issue 14.2).
 */
let nodeCodeTable: Record<string, number> | undefined;

const nodeCodes = (): Record<string, number> => (nodeCodeTable ??= {
  E2BIG: Errno['2big'], EACCES: Errno.acces, EADDRINUSE: Errno.addrinuse,
  EADDRNOTAVAIL: Errno.addrnotavail, EAFNOSUPPORT: Errno.afnosupport, EAGAIN: Errno.again,
  EWOULDBLOCK: Errno.again, EALREADY: Errno.already, EBADF: Errno.badf, EBUSY: Errno.busy,
  ECANCELED: Errno.canceled, ECONNABORTED: Errno.connaborted, ECONNREFUSED: Errno.connrefused,
  ECONNRESET: Errno.connreset, EDQUOT: Errno.dquot, EEXIST: Errno.exist, EFAULT: Errno.fault,
  EFBIG: Errno.fbig, EHOSTUNREACH: Errno.hostunreach, EILSEQ: Errno.ilseq, EINTR: Errno.intr,
  EINVAL: Errno.inval, EIO: Errno.io, EISCONN: Errno.isconn, EISDIR: Errno.isdir, ELOOP: Errno.loop,
  EMFILE: Errno.mfile, EMLINK: Errno.mlink, EMSGSIZE: Errno.msgsize, ENAMETOOLONG: Errno.nametoolong,
  ENETDOWN: Errno.netdown, ENETUNREACH: Errno.netunreach, ENFILE: Errno.nfile, ENOBUFS: Errno.nobufs,
  ENODEV: Errno.nodev, ENOENT: Errno.noent, ENOEXEC: Errno.noexec, ENOMEM: Errno.nomem,
  ENOSPC: Errno.nospc, ENOSYS: Errno.nosys, ENOTCONN: Errno.notconn, ENOTDIR: Errno.notdir,
  ENOTEMPTY: Errno.notempty, ENOTSOCK: Errno.notsock, ENOTSUP: Errno.notsup, EOPNOTSUPP: Errno.notsup,
  ENOTTY: Errno.notty, ENXIO: Errno.nxio, EOVERFLOW: Errno.overflow, EPERM: Errno.perm,
  EPIPE: Errno.pipe, ERANGE: Errno.range, EROFS: Errno.rofs, ESPIPE: Errno.spipe, ESRCH: Errno.srch,
  ETIMEDOUT: Errno.timedout, ETXTBSY: Errno.txtbsy, EXDEV: Errno.xdev,
});

/** The WASI errno for an exception thrown by Node's `fs`, or `undefined` if it is not one. */
export function errnoFromNode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? nodeCodes()[code] : undefined;
}

/** Converts any host exception into a WASI error (unknown ones become `io`). */
export function toWasiError(err: unknown): WasiError {
  if (err instanceof WasiError) return err;
  const errno = errnoFromNode(err);
  return new WasiError(errno ?? Errno.io, err instanceof Error ? err.message : String(err));
}
