/**
 * Permissions that grow (issue 13, point 3): a folder granted read-only whose grant the person
 * may widen is marked `upgradable` by the launcher. A change inside it (a write-open, a creation,
 * a truncation, a rename, an unlink, new times...) does not fail at once: the worker asks main,
 * by the change's real name and path, and main asks the person "allow changes too?". An allow
 * makes the folder read & write for the rest of the run (main also widens the stored grant on
 * "always"); a deny fails `notcapable`, exactly as a read-only grant always has.
 *
 * What stays: the upgrade reaches only what was reached through that folder's own preopen (never
 * outside it, never a read-only folder nested in it), and read-only-wins for every other route
 * into the folder holds until the person upgraded it.
 */
import { Errno } from './abi.ts';
import type { AskOperation } from './ask.ts';
import type { WasiContext } from './context.ts';
import { WasiError } from './errors.ts';
import type { HostBackedDescriptor } from './fd-table.ts';

/** The run's upgraded folders, by preopen index; `grow` records one (see worker-main.ts). */
export interface Growth {
  has(origin: number): boolean;
  grow(origin: number): void;
}

/** True while `d` is read-only only because its folder is an upgradable grant not yet upgraded. */
export function awaitingUpgrade(d: HostBackedDescriptor): boolean {
  return d.readOnly && d.upgradable === true;
}

/**
 * Throws `notcapable` unless `d` may change `hostPath` by `operation`: it is not read-only, or
 * its folder was upgraded this run, or the person allows changes in it now.
 */
export function mayChange(ctx: WasiContext, d: HostBackedDescriptor, operation: AskOperation, hostPath: string): void {
  if (!d.readOnly) return;
  const { origin } = d;
  if (d.upgradable && origin !== undefined && ctx.asker !== undefined && ctx.growth !== undefined) {
    if (ctx.growth.has(origin)) return;
    if (ctx.asker.ask(operation, hostPath)) {
      ctx.growth.grow(origin);
      return;
    }
  }
  throw new WasiError(Errno.notcapable, 'read-only grant');
}
