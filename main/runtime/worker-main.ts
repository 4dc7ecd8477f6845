/**
 * The worker thread of one run: builds the guest's descriptor table and host functions from the
 * frozen configuration, instantiates the module and runs `_start`. Host functions run here,
 * synchronously; the main thread is never blocked by a guest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { RIGHTS_ALL, RIGHTS_DIRECTORY, RIGHTS_DIR_MUTATE, RIGHTS_FILE_MUTATE, Rights } from './abi.ts';
import type { WasiContext } from './context.ts';
import { ProcExit } from './errors.ts';
import { FdTable } from './fd-table.ts';
import { createImports } from './host.ts';
import { GuestMemory, encodeUtf8 } from './memory.ts';
import { Ring } from './ring.ts';
import { GuestStdio } from './stdio.ts';
import { answerRecheck, workerAsker } from './ask.ts';
import { setReadOnlyDirs } from './path-resolve.ts';
import { StaleFolder, identityKey, openPinned } from './pinned-folder.ts';
import { guardLoading, hostCalls, onHostCallsNote } from './host-calls/index.ts';
import type { WorkerConfig, WorkerMessage } from './worker-protocol.ts';
import { isComponentProgram } from './p2/program.ts';
import { runComponent } from './p2/run-component.ts';

const R = Rights;
const STDIN_RIGHTS = R.fd_read | R.poll_fd_readwrite | R.fd_filestat_get | R.fd_fdstat_set_flags;
const STDOUT_RIGHTS = R.fd_write | R.poll_fd_readwrite | R.fd_filestat_get | R.fd_fdstat_set_flags;

// The worker starts booting before the module is compiled; its configuration follows as a message.
const config = await new Promise<WorkerConfig>((resolve) => parentPort!.once('message', resolve));
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);
const cString = (s: string): Uint8Array => encodeUtf8(`${s}\0`);

/**
 * Opens preopen `p`: a pinned folder without following any symlink and only if it is still the
 * granted one (null, reported as stale, otherwise); an unpinned one as the person named it.
 */
function openPreopen(p: WorkerConfig['preopens'][number], index: number): { hostFd: number; hostPath: string } | null {
  if (p.pin !== undefined) {
    try {
      return { hostFd: openPinned(p.pin), hostPath: p.pin.resolved };
    } catch (err) {
      if (!(err instanceof StaleFolder)) throw err;
      post({ type: 'stale', index, reason: err.message });
      return null;
    }
  }
  // The person chose this folder, so a symlink in its own path is theirs: resolve it once here.
  const hostPath = fs.realpathSync(p.hostPath);
  return { hostFd: fs.openSync(hostPath, fs.constants.O_RDONLY | (fs.constants.O_DIRECTORY ?? 0)), hostPath };
}

/** The key the resolver's read-only set holds for a folder (pinned-folder.ts, `identityKey`). */
const keyOf = (st: fs.BigIntStats): string => identityKey(st.dev, st.ino);

/** True when a folder above `hostPath` (a resolved path) is in the read-only set. */
function insideReadOnly(hostPath: string, readOnly: ReadonlySet<string>): boolean {
  for (let dir = path.dirname(hostPath); ; dir = path.dirname(dir)) {
    try {
      if (readOnly.has(keyOf(fs.lstatSync(dir, { bigint: true })))) return true;
    } catch {
      return false;
    }
    if (dir === path.dirname(dir)) return false;
  }
}

/**
 * The guest's initial descriptors: stdio, then one directory per grant, in order (fds 3, 4, ...);
 * a granted folder that was replaced since it was granted is left out.
 *
 * Ambient Authority: opens each granted folder by its host path. These are the only host paths
 * the runtime opens on its own; every other file is reached from one of them (path-resolve.ts).
 */
function buildTable(): FdTable {
  const fds = new FdTable(new Int32Array(config.revoked));
  config.stdioTypes.forEach((filetype, stream) => {
    fds.add({
      kind: 'stdio', hostFd: -1, filetype, stream, fdflags: 0, position: 0, readOnly: false,
      rightsBase: stream === 0 ? STDIN_RIGHTS : STDOUT_RIGHTS, rightsInheriting: 0, hostPath: `<stdio ${stream}>`,
    });
  });
  const opened = config.preopens.map((p, origin) => openPreopen(p, origin));
  // Read-only wins (issue 9): every folder granted read-only stays so by every route, whoever
  // started the run and whether or not it was pinned: its identity joins the set the resolver
  // checks, and a read-write folder inside one is read-only too.
  const readOnly = new Set(config.readOnlyDirs);
  config.preopens.forEach((p, i) => {
    const o = opened[i];
    if (o && p.readOnly && !p.ask) readOnly.add(keyOf(fs.fstatSync(o.hostFd, { bigint: true })));
  });
  setReadOnlyDirs(readOnly);
  for (const [origin, p] of config.preopens.entries()) {
    const o = opened[origin];
    if (o === null || o === undefined) continue;
    const { hostFd, hostPath } = o;
    const ro = p.readOnly || (!p.ask && insideReadOnly(hostPath, readOnly));
    fds.add({
      kind: 'dir', hostFd, filetype: 3, fdflags: 0, position: 0, readOnly: ro,
      // The ask root's own times are nobody's answer: its path operations ask, it never changes.
      rightsBase: ro ? RIGHTS_DIRECTORY & ~RIGHTS_DIR_MUTATE & ~R.fd_filestat_set_times
        : p.ask ? RIGHTS_DIRECTORY & ~R.fd_filestat_set_times : RIGHTS_DIRECTORY,
      rightsInheriting: ro ? RIGHTS_ALL & ~RIGHTS_DIR_MUTATE & ~RIGHTS_FILE_MUTATE : RIGHTS_ALL,
      hostPath, preopen: p.guestPath, ask: p.ask, origin,
    });
  }
  return fds;
}

async function run(): Promise<void> {
  guardLoading(config.hostCallsGuard);
  const fds = buildTable();
  const ctx: WasiContext = {
    mem: undefined as unknown as GuestMemory,
    fds,
    args: config.args.map(cString),
    env: config.env.map(cString),
    stdio: new GuestStdio(new Ring(config.stdin), new Ring(config.output), config.stdinFd),
    asker: config.askBuffer === undefined ? undefined : workerAsker(config.askBuffer, (operation, path) => post({ type: 'ask', operation, path })),
  };
  if (ctx.asker !== undefined) fds.recheck = answerRecheck(ctx.asker);
  const report = (message: string, detail?: string): void => post({ type: 'log', message, detail });
  onHostCallsNote(report);
  hostCalls.trackIn(config.nativeFds);
  let memory: WebAssembly.Memory | undefined;
  try {
    if (isComponentProgram(config.module)) {
      // Issue 15.2: a component on the WASI 0.2 host (runtime/p2/), over this same context.
      await runComponent(config.module, ctx, report);
    } else {
      const instance = new WebAssembly.Instance(config.module, createImports(ctx, config.module, report));
      memory = instance.exports.memory as WebAssembly.Memory;
      ctx.mem = new GuestMemory(memory);
      (instance.exports._start as () => void)();
    }
    post({ type: 'exit', code: 0 });
  } catch (err) {
    if (err instanceof ProcExit) {
      post({ type: 'exit', code: err.code });
    } else {
      const bytes = memory?.buffer.byteLength ?? 0;
      const atCap = config.memoryMaxBytes !== undefined && bytes + 65536 > config.memoryMaxBytes;
      post({ type: 'trap', message: err instanceof Error ? err.message : String(err), memoryAtCap: atCap });
    }
  } finally {
    fds.closeAll();
  }
}

await run();
