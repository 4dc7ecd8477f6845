/**
 * The portable host calls: Node's `fs` only, by path. On Linux a directory the walk holds is
 * reached through `/proc/self/fd/<fd>/<name>` (the kernel jumps through the magic link to the
 * directory itself, so this is openat() in all but name); elsewhere, or when
 * `TERRARIUM_RESOLVER=portable` asks for it, through the directory's host path, which the resolver
 * checks before and after (path-resolve.ts, `verifySame`).
 *
 * Node's utimes takes seconds as a double, so times set here lose their last digits (about 0.2 µs
 * today); native.ts sets them exactly.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import os from 'node:os';
import type { DirRef } from '../path-resolve.ts';
import { hostError } from './host-error.ts';
import type { HostCalls, HostStat, TimeSpec } from './types.ts';

let procFdMode: 'linux-procfd' | 'portable' | undefined;

/**
 * How the portable calls reach a held directory: its fd through /proc, or its host path. Decided
 * at the first call, not when the module loads: a run that opens no folder never asks (an
 * `accessSync` at every start, ~0.1 ms; docs/design/start2.md, "Tables and checks at first use").
 */
export function portableMode(): 'linux-procfd' | 'portable' {
  return (procFdMode ??= process.env.TERRARIUM_RESOLVER === 'portable' || !hasProcFd() ? 'portable' : 'linux-procfd');
}

function hasProcFd(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    fs.accessSync('/proc/self/fd');
    return true;
  } catch {
    return false;
  }
}

/**
 * The host path through which the kernel looks up `name` inside `dir`, and nothing else.
 *
 * Ambient Authority: the result is a host path; it is only ever built from a held directory and a
 * single checked component.
 */
export function childPath(dir: DirRef, name: string): string {
  return portableMode() === 'linux-procfd' && dir.fd >= 0 ? `/proc/self/fd/${dir.fd}/${name}` : nodePath.join(dir.path, name);
}

const nsToSeconds = (ns: bigint): number => Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;

/** Node's utimes wants both times: "omit" keeps the current one, "now" is the clock. */
function seconds(t: TimeSpec, now: number, current: () => HostStat, pick: (s: HostStat) => bigint): number {
  if (t === 'now') return now;
  if (t === 'omit') return nsToSeconds(pick(current()));
  return nsToSeconds(t);
}

function pair(atim: TimeSpec, mtim: TimeSpec, current: () => HostStat): [number, number] {
  const now = Date.now() / 1000;
  let st: HostStat | undefined;
  const cur = (): HostStat => (st ??= current());
  return [seconds(atim, now, cur, (s) => s.atimeNs), seconds(mtim, now, cur, (s) => s.mtimeNs)];
}

/** The portable host calls. */
export const portableCalls: HostCalls = {
  kind: 'portable',
  open: (dir, name, flags, mode = 0o666) => fs.openSync(childPath(dir, name), flags, mode),
  close: (fd) => fs.closeSync(fd),
  trackIn: () => {}, // Node itself closes what its fs opened when a worker is terminated
  stat: (dir, name, follow) =>
    follow ? fs.statSync(childPath(dir, name), { bigint: true }) : fs.lstatSync(childPath(dir, name), { bigint: true }),
  fstat: (fd) => fs.fstatSync(fd, { bigint: true }),
  setTimes: (dir, name, follow, atim, mtim) => {
    const p = childPath(dir, name);
    const [a, m] = pair(atim, mtim, () => (follow ? fs.statSync(p, { bigint: true }) : fs.lstatSync(p, { bigint: true })));
    if (follow) fs.utimesSync(p, a, m);
    else fs.lutimesSync(p, a, m);
  },
  fsetTimes: (fd, atim, mtim) => {
    const [a, m] = pair(atim, mtim, () => fs.fstatSync(fd, { bigint: true }));
    fs.futimesSync(fd, a, m);
  },
  rename: (from, fromName, to, toName) => fs.renameSync(childPath(from, fromName), childPath(to, toName)),
  link: (from, fromName, to, toName) => fs.linkSync(childPath(from, fromName), childPath(to, toName)),
  symlink: (target, dir, name) => {
    // Windows: a guest never creates a symlink, so no guest (nor two together) has a link to swap
    // into a path the resolver is walking; the path checks (verifySame) cover the rest. Links made
    // by other host programs remain (README, "Sandbox").
    if (process.platform === 'win32') throw hostError(os.constants.errno.EPERM, 'symlink', name);
    fs.symlinkSync(target, childPath(dir, name));
  },
  unlink: (dir, name) => fs.unlinkSync(childPath(dir, name)),
  rmdir: (dir, name) => fs.rmdirSync(childPath(dir, name)),
  mkdir: (dir, name, mode = 0o777) => fs.mkdirSync(childPath(dir, name), { mode }),
  readlink: (dir, name) => fs.readlinkSync(childPath(dir, name), { encoding: 'buffer' }),
};
