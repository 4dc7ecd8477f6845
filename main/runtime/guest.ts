/**
 * One guest run on the current thread: the descriptor table and host functions built from the
 * frozen configuration, the module instantiated and `_start` run. A run's worker (worker-main.ts)
 * runs it with the stdio rings; the CLI may run it on its own thread (same-thread.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Filetype, RIGHTS_ALL, RIGHTS_DIRECTORY, RIGHTS_DIR_MUTATE, RIGHTS_FILE_MUTATE, Rights } from './abi.ts';
import type { WasiContext } from './context.ts';
import { ProcExit } from './errors.ts';
import { FdTable, type StdioStream } from './fd-table.ts';
import { createImports, forwarder, providers, wrap } from './host.ts';
import { clockTimeGetImport } from './clock-shim.ts';
import { clockTimeGet } from './families/clock-random.ts';
import { WASI_MODULE } from '../wasm/preview1.ts';
import type { WasiFunction } from './context.ts';
import { GuestMemory, encodeUtf8 } from './memory.ts';
import { GuestStdio, type StdioPort } from './stdio.ts';
import { Ring, createRing } from './ring.ts';
import { answerRecheck, workerAsker } from './ask.ts';
import type { Growth } from './upgrade.ts';
import { clearDirCache, setReadOnlyDirs } from './path-resolve.ts';
import { PAGE_BYTES } from '../wasm/memory.ts';
import { identityKey } from '../shared/folder-pin.ts';
import { openPinned } from './pinned-folder.ts';
import { isCoded } from '../shared/coded-error.ts';
import { hostCalls, onHostCallsNote } from './host-calls/index.ts';
import type { WorkerConfig, WorkerMessage } from './worker-protocol.ts';
import { isComponentProgram } from './p2/program.ts';
import type { LoadedComponent } from './p2/run-component.ts';

/** Where a run's messages go (the main thread's `WorkerMessage` handler). */
export type Post = (m: WorkerMessage) => void;

const R = Rights;
const STDIN_RIGHTS = R.fd_read | R.poll_fd_readwrite | R.fd_filestat_get | R.fd_fdstat_set_flags;
const STDOUT_RIGHTS = R.fd_write | R.poll_fd_readwrite | R.fd_filestat_get | R.fd_fdstat_set_flags;
const STDIO_STREAMS: readonly StdioStream[] = [0, 1, 2];

const cString = (s: string): Uint8Array => encodeUtf8(`${s}\0`);

/**
 * Opens preopen `p`: a pinned folder without following any symlink and only if it is still the
 * granted one (null, reported as stale, otherwise); an unpinned one as the person named it. A
 * folder handed over open (`hostFd`, its pin made from that descriptor) is used as it is.
 */
function openPreopen(p: WorkerConfig['preopens'][number], index: number, post: Post): { hostFd: number; hostPath: string } | null {
  if (p.pin !== undefined && p.hostFd !== undefined) return { hostFd: p.hostFd, hostPath: p.pin.resolved };
  if (p.pin !== undefined) {
    try {
      return { hostFd: openPinned(p.pin), hostPath: p.pin.resolved };
    } catch (err) {
      if (!isCoded(err, 'stale-folder')) throw err;
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
  if (readOnly.size === 0) return false;
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
function buildTable(config: WorkerConfig, post: Post): { fds: FdTable; growth: Growth } {
  const fds = new FdTable(new Int32Array(config.revoked));
  for (const stream of STDIO_STREAMS) {
    fds.add({
      kind: 'stdio', filetype: config.stdioTypes[stream], stream, fdflags: 0,
      rightsBase: stream === 0 ? STDIN_RIGHTS : STDOUT_RIGHTS, rightsInheriting: 0,
    });
  }
  const opened = config.preopens.map((p, origin) => openPreopen(p, origin, post));
  // Read-only wins (issue 9): every folder granted read-only stays so by every route, whoever
  // started the run and whether or not it was pinned: its identity joins the set the resolver
  // checks, and a read-write folder inside one is read-only too.
  const readOnly = new Set(config.readOnlyDirs);
  config.preopens.forEach((p, i) => {
    const o = opened[i];
    if (o && p.readOnly && !p.ask) readOnly.add(keyOf(fs.fstatSync(o.hostFd, { bigint: true })));
  });
  setReadOnlyDirs(readOnly);
  const upgradeKeys = new Map<number, string>();
  for (const [origin, p] of config.preopens.entries()) {
    const o = opened[origin];
    if (o === null || o === undefined) continue;
    const { hostFd, hostPath } = o;
    const inside = !p.ask && insideReadOnly(hostPath, readOnly);
    const ro = p.readOnly || inside;
    // Upgradable: a read-only grant of its own, in no other read-only folder, in a run that asks.
    const upgradable = p.readOnly && p.upgradable === true && !p.ask && !inside && config.askBuffer !== undefined;
    if (upgradable) upgradeKeys.set(origin, keyOf(fs.fstatSync(hostFd, { bigint: true })));
    const cut = ro && !upgradable;
    fds.add({
      kind: 'dir', hostFd, filetype: Filetype.directory, fdflags: 0, readOnly: ro, upgradable: upgradable || undefined,
      // The ask root's own times are nobody's answer: its path operations ask, it never changes.
      rightsBase: cut ? RIGHTS_DIRECTORY & ~RIGHTS_DIR_MUTATE & ~R.fd_filestat_set_times
        : p.ask ? RIGHTS_DIRECTORY & ~R.fd_filestat_set_times : RIGHTS_DIRECTORY,
      rightsInheriting: cut ? RIGHTS_ALL & ~RIGHTS_DIR_MUTATE & ~RIGHTS_FILE_MUTATE : RIGHTS_ALL,
      hostPath, preopen: p.guestPath, ask: p.ask === true, origin,
    });
  }
  // An upgraded folder is read-only by no route any more (read-only wins only until the person
  // widened that very folder); a read-only folder inside it stays read-only.
  const upgraded = new Set<number>();
  const growth: Growth = {
    has: (origin) => upgraded.has(origin),
    grow(origin) {
      upgraded.add(origin);
      const key = upgradeKeys.get(origin);
      if (key !== undefined && readOnly.delete(key)) setReadOnlyDirs(readOnly);
    },
  };
  return { fds, growth };
}

/**
 * A module instantiated before its run was configured (a primed spare: launcher/warm.ts), only ever
 * of a module that runs no code when instantiated (load.ts `instantiatesInert`): its memory holds
 * its own data segments and nothing else. Its imports forward to host functions that do not exist
 * yet; `bind` makes them, from the run's own context, when the run's configuration arrives.
 */
export interface PrimedInstance {
  readonly instance: WebAssembly.Instance;
  /** Binds the imports to `ctx` (once: a second run of one instance is refused). */
  bind(ctx: WasiContext, report: (message: string, detail?: string) => void): WebAssembly.Instance;
}

const unbound = (): never => {
  throw new Error('a host function was called before its run was configured');
};

/**
 * Instantiates `module` (see `PrimedInstance`) with forwarding imports: each preview1 import calls
 * the function `bind` sets later; until then it throws (no guest code can reach it: the module has
 * no start section, and `_start` is called only after `bind`).
 */
export function primeInstance(module: WebAssembly.Module): PrimedInstance {
  const slots = new Map<string, { f: WasiFunction }>();
  const wasi: Record<string, WasiFunction> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== WASI_MODULE || imp.kind !== 'function' || slots.has(imp.name)) continue;
    const slot = { f: unbound as WasiFunction };
    slots.set(imp.name, slot);
    // The clock keeps its wasm shim (no BigInt per call): the slot holds the host's (id, out) form.
    wasi[imp.name] = imp.name === 'clock_time_get'
      ? clockTimeGetImport((id, out) => (slot.f as (id: number, out: number) => number)(id, out))
      : forwarder(imp.name, slot);
  }
  const instance = new WebAssembly.Instance(module, { [WASI_MODULE]: wasi });
  let bound = false;
  return {
    instance,
    bind(ctx, report) {
      if (bound) throw new Error('a primed instance runs once');
      bound = true;
      const real = createImports(ctx, module, report)[WASI_MODULE] as Record<string, WasiFunction>;
      for (const [name, slot] of slots) {
        slot.f = name === 'clock_time_get' ? wrap(name, clockTimeGet(ctx), report, 2) : real[name]!;
      }
      return instance;
    },
  };
}

/** A module that imports and exports nothing (wasm's 8-byte preamble alone). */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/**
 * Runs the host's own set-up code once with nothing of any run (a spare worker, while it waits):
 * V8 compiles JavaScript functions on their first call, so the run that follows builds its host
 * functions without compiling them first. Runs no guest code and keeps nothing.
 */
export function warmUp(): void {
  const ctx = { args: [], env: [] } as unknown as WasiContext;
  createImports(ctx, new WebAssembly.Module(EMPTY_MODULE), () => undefined);
  // createImports makes only the families a module imports (none here): make them all.
  providers(ctx);
  clockTimeGetImport(() => 0);
  wrap('clock_time_get', clockTimeGet(ctx), () => undefined, 2);
}

/**
 * Runs a run's first steps once in a primed spare, over objects of its own (a spare runs one run,
 * so its run would otherwise run all this JavaScript for the first time: ~1.2 ms of a warm hello's
 * ~4.5 to its first output, docs/design/warm-runs.md round 7): the stdio rings and port, a stdio-only
 * descriptor table, `module`'s host functions, then `fd_fdstat_get` and two `fd_write`s to a stdout
 * ring nobody reads. No folder, no grant, no guest code; nothing is kept.
 */
export function warmRun(module: WebAssembly.Module): void {
  const stdio = new GuestStdio(new Ring(createRing(1024)), new Ring(createRing(1024)));
  const fds = new FdTable(new Int32Array(1));
  for (const stream of STDIO_STREAMS) {
    fds.add({ kind: 'stdio', filetype: Filetype.character_device, stream, fdflags: 0, rightsBase: stream === 0 ? STDIN_RIGHTS : STDOUT_RIGHTS, rightsInheriting: 0 });
  }
  const memory = new WebAssembly.Memory({ initial: 1 });
  const ctx: WasiContext = { mem: new GuestMemory(memory), fds, args: [], env: [], stdio };
  const wasi = createImports(ctx, module, () => undefined)[WASI_MODULE] as Partial<Record<string, (...a: number[]) => number>>;
  // Two iovecs at 0 (5 bytes at 64, 1 at 80); results at 128 and 160.
  const v = new DataView(memory.buffer);
  v.setUint32(0, 64, true);
  v.setUint32(4, 5, true);
  v.setUint32(8, 80, true);
  v.setUint32(12, 1, true);
  wasi.fd_fdstat_get?.(1, 128);
  wasi.fd_write?.(1, 0, 2, 160);
  wasi.fd_write?.(1, 0, 1, 160);
}

/**
 * Runs the guest of `config` on this thread: builds its descriptor table and host functions,
 * instantiates the module and calls `_start` through `start` (which may bound it, e.g. with a time
 * limit: what `start` throws, other than the guest's own exit or trap, passes through). Reports
 * the end (`exit` or `trap`) and everything else through `post`; `stdio` carries fds 0-2.
 * A component runs synchronously, as a module does, when it comes loaded (`component`: the
 * command's thread, same-thread.ts); otherwise its bindings load here and the run ends later.
 * `primed`: `config.module` instantiated ahead of time (`primeInstance`), used instead of a new instance.
 */
export function runGuest(
  config: WorkerConfig, stdio: StdioPort, post: Post, start: (run: () => void) => void = (run) => run(), component?: LoadedComponent,
  primed?: PrimedInstance,
): Promise<void> | undefined {
  const { fds, growth } = buildTable(config, post);
  const ctx: WasiContext = {
    mem: undefined as unknown as GuestMemory,
    fds,
    args: config.args.map(cString),
    env: config.env.map(cString),
    stdio,
    asker: config.askBuffer === undefined ? undefined : workerAsker(config.askBuffer, (operation, path) => post({ type: 'ask', operation, path })),
    growth,
  };
  if (ctx.asker !== undefined) fds.recheck = answerRecheck(ctx.asker);
  const report = (message: string, detail?: string): void => post({ type: 'log', message, detail });
  onHostCallsNote(report);
  hostCalls.trackIn(config.nativeFds);
  let memory: WebAssembly.Memory | undefined;
  const fail = (err: unknown): void => {
    if (err instanceof ProcExit) {
      post({ type: 'exit', code: err.code });
    } else {
      const bytes = memory?.buffer.byteLength ?? 0;
      const atCap = config.memoryMaxBytes !== undefined && bytes + PAGE_BYTES > config.memoryMaxBytes;
      post({ type: 'trap', message: err instanceof Error ? err.message : String(err), memoryAtCap: atCap });
    }
  };
  const finish = (): void => {
    fds.closeAll();
    clearDirCache();
  };
  const module = config.module;
  if (isComponentProgram(module) && component === undefined) {
    // Issue 15.2: a component on the WASI 0.2 host (runtime/p2/), over this same context, its
    // bindings loaded now (in a worker). Loaded here only: a core module's run (and the command's
    // start-up) never pays for the 0.2 host.
    return import('./p2/run-component.ts')
      .then(({ runComponent }) => runComponent(module, ctx, report))
      .then(() => post({ type: 'exit', code: 0 }), fail).finally(finish);
  }
  try {
    if (component !== undefined) {
      component.run(ctx, report, start);
    } else if (!isComponentProgram(module)) {
      const instance = primed !== undefined ? primed.bind(ctx, report) : new WebAssembly.Instance(module, createImports(ctx, module, report));
      memory = instance.exports.memory as WebAssembly.Memory;
      ctx.mem = new GuestMemory(memory);
      start(instance.exports._start as () => void);
    }
    post({ type: 'exit', code: 0 });
  } catch (err) {
    fail(err);
  } finally {
    finish();
  }
  return undefined;
}

