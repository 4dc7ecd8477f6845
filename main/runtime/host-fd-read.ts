/**
 * read(2) of a host fd the guest reads as its stdin, straight into guest memory, with as little
 * JavaScript around the system call as Node allows (issue 14.3).
 */
import fs from 'node:fs';

/** `read(fd, buffer, offset, length, position)` of Node 24's fs binding (position -1: the fd's own offset). */
type BindingRead = (fd: number, buffer: Uint8Array, offset: number, length: number, position: number) => number;

/** A descriptor number that is never open (above the kernel's highest possible, 2^31 - 64). */
const NEVER_OPEN = 0x7fffffff;

/**
 * The fs binding's `read` when it can stand in for `fs.readSync`, else undefined. It is the call
 * `fs.readSync` itself ends in, minus the JavaScript around it: its validators (each called
 * through `hideStackFrames`' rest arguments and `Reflect.apply`) and its `arguments`, which a
 * stdin run's ~3,200 reads pay in the interpreter and Sparkplug and V8 then compiles in the
 * background (docs/design/iospeed.md, round 5). Internal, so checked: only on Node 24 (whose
 * `fs.readSync` calls it so; older Nodes' synchronous form took an error-context argument, and the
 * binding's C++ checks abort the process on what they do not expect), only when it is a function
 * that, called on a descriptor that is never open, throws the EBADF error `fs.readSync` throws.
 * `process.binding` is deprecated (DEP0111, a warning only under --pending-deprecation), which
 * nobody running a guest should see.
 */
export function fsBindingRead(): BindingRead | undefined {
  if (process.versions.node.split('.')[0] !== '24') return undefined;
  const warn = process.emitWarning;
  process.emitWarning = () => {};
  try {
    const read = (process as unknown as { binding(name: string): { read?: unknown } }).binding('fs').read;
    if (typeof read !== 'function') return undefined;
    try {
      read(NEVER_OPEN, new Uint8Array(1), 0, 1, -1);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EBADF') return read as BindingRead;
    }
    return undefined;
  } catch {
    return undefined; // no process.binding, or no fs binding
  } finally {
    process.emitWarning = warn;
  }
}

let bindingRead: BindingRead | undefined | null = null;

/**
 * read(2) of host fd `fd` into `mem[ptr, ptr+len)` (in bounds, len > 0: the binding aborts the
 * process on an offset outside the buffer), at the fd's own offset: through the fs binding when
 * `fsBindingRead` vouches for it, through `fs.readSync` otherwise. Throws what `fs.readSync` throws.
 * The binding's call is this function's last return and everything else is in `readHostFdOther`:
 * V8 optimises a function after ~400 calls that each ran to its end (iospeed.md, round 6).
 */
export function readHostFd(fd: number, mem: Uint8Array, ptr: number, len: number): number {
  const read = bindingRead;
  if (read === null || read === undefined || !(len > 0 && ptr >= 0 && ptr + len <= mem.length)) return readHostFdOther(fd, mem, ptr, len);
  return read(fd, mem, ptr, len, -1);
}

/** `readHostFd`'s first call (which looks for the binding) and every read the binding is not for. */
function readHostFdOther(fd: number, mem: Uint8Array, ptr: number, len: number): number {
  if (bindingRead === null) bindingRead = fsBindingRead();
  if (bindingRead !== undefined && len > 0 && ptr >= 0 && ptr + len <= mem.length) return bindingRead(fd, mem, ptr, len, -1);
  return fs.readSync(fd, mem, ptr, len, null);
}
