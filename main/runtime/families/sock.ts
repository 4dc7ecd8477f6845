/**
 * Sockets: preview1 can only use sockets handed in as preopened descriptors, and Terrarium grants
 * none, so every call fails: `badf` for a closed descriptor, `notsock` for any other.
 */
import { Errno } from '../abi.ts';
import type { Provider, WasiContext } from '../context.ts';

/** The socket family. */
export function sock(ctx: WasiContext) {
  const notSocket = (fd: number): number => {
    ctx.fds.get(fd, 0);
    return Errno.notsock;
  };
  return {
    /** Accepts a connection on a listening socket descriptor. */
    sock_accept: (fd: number) => notSocket(fd),
    /** Receives from a socket descriptor. */
    sock_recv: (fd: number) => notSocket(fd),
    /** Sends on a socket descriptor. */
    sock_send: (fd: number) => notSocket(fd),
    /** Shuts down a socket's send and/or receive side. */
    sock_shutdown: (fd: number) => notSocket(fd),
  } satisfies Provider;
}
