import type { FolderPin } from '../shared/folder-pin.ts';
import type { RingBuffers } from './ring.ts';
import type { Program } from './p2/program.ts';

/** A folder the guest sees as a preopened directory. */
export interface Preopen {
  /** Host folder (absolute). */
  hostPath: string;
  /** The name the guest sees, e.g. "/data" or ".". */
  guestPath: string;
  readOnly: boolean;
  /** Ask mode's root: every access through it that no grant covers is asked about. */
  ask?: boolean;
  /**
   * A read-only grant the person may widen while the run goes on: a change inside it asks
   * "allow changes too?" instead of failing (upgrade.ts). Only with `readOnly` and an ask root.
   */
  upgradable?: boolean;
  /**
   * The grant this folder comes from (bookkeeping for revocation): a run with one goes to a worker
   * when its module can reach a folder (same-thread.ts), so a revocation reaches it.
   */
  grantId?: number;
  /**
   * What the person granted: the worker opens `pin.resolved` following no symlink and checks its
   * identity, and leaves the folder out of the run if it was replaced (pinned-folder.ts). Without
   * it, `hostPath` is opened as the person named it.
   */
  pin?: FolderPin;
  /**
   * The folder already open, `pin` made from this descriptor (shared/folder-pin.ts `openNamed`:
   * `terrarium run --dir`, which pins and opens in one step at the command's start): the run
   * starts from it as it is, without opening the pin again. Process-wide, so a worker may use it;
   * the run's descriptor table owns it from then on.
   */
  hostFd?: number;
}

/** What the main thread hands a run's worker: frozen capabilities and the stdio rings. */
export interface WorkerConfig {
  /** A preview1 module, or a component for the WASI 0.2 host (issue 15). */
  module: Program;
  args: string[];
  /** `NAME=VALUE` strings. */
  env: string[];
  preopens: Preopen[];
  /** WASI filetypes reported for fds 0, 1, 2. */
  stdioTypes: [number, number, number];
  stdin: RingBuffers;
  /** A host fd of a regular file to read stdin from directly instead of the stdin ring. */
  stdinFd?: number;
  output: RingBuffers;
  memoryMaxBytes?: number;
  /** Ask mode: the buffer main answers questions through (see ask.ts). */
  askBuffer?: SharedArrayBuffer;
  /** One Int32 per preopen: non-zero once its grant is revoked (checked at every access). */
  revoked: SharedArrayBuffer;
  /** Identities ("dev:ino") of the folders granted read-only: read-only by every route. */
  readOnlyDirs: string[];
  /** Native descriptors the worker holds, closed by the main thread if it is terminated (host-calls/fd-ledger.ts). */
  nativeFds: SharedArrayBuffer;
  /** Guards loading the native host calls against termination (host-calls/index.ts, guardLoading). */
  hostCallsGuard: SharedArrayBuffer;
  /**
   * The worker was primed with this very module (`PrimeMessage`, sent by run.ts `primeWorker`): it
   * runs the instance made then, if making it succeeded, instead of a new one.
   */
  primed?: boolean;
}

/**
 * Sent to a spare worker before any configuration: instantiate `prime` ahead of the run (only a
 * module that runs no code when instantiated: load.ts `instantiatesInert`; guest.ts `primeInstance`).
 */
export interface PrimeMessage {
  prime: WebAssembly.Module;
}

/**
 * Sent to a spare worker before any configuration (warm-runs.md round 10): read the stored module
 * `file` here, prove its bytes (main/shared/module-check.ts: by the stat signature `recorded`, else
 * by `sha256`), compile it with its memory capped at `memoryMaxBytes` (load.ts `loadCommand`), post
 * the compiled module back (`loaded`, or `load-failed`) and instantiate it ahead of its run, as a
 * `PrimeMessage` would. Nothing of the bytes runs before they are proven; a preview1 module only.
 */
export interface LoadMessage {
  load: { file: string; sha256: string; recorded?: string; memoryMaxBytes?: number };
}

/**
 * The BroadcastChannel on which a spare worker says it has booted (`{ threadId }`), once, before any
 * configuration, and that its primed instance is made (`{ threadId, primed: true }`): a channel of its own, so the word can never reach the handler of the run that takes it.
 */
export const SPARE_BOOTED_CHANNEL = 'terrarium-spare-booted';

/** Messages from a run's worker to the main thread. */
export type WorkerMessage =
  | { type: 'exit'; code: number }
  | { type: 'trap'; message: string; memoryAtCap: boolean }
  | { type: 'log'; message: string; detail?: string }
  | { type: 'stale'; index: number; reason: string }
  | { type: 'ask'; operation: import('./ask.ts').AskOperation; path: string }
  /**
   * A `LoadMessage`'s answer: the compiled module; `inert`, it runs no code when instantiated (load.ts
   * `instantiatesInert`: the worker instantiates it now); `signature`, to record (the bytes were
   * hashed and found right on a settled file); `ms`, how long reading (and checking) and compiling took; `hashed`, the bytes were hashed (no recorded signature held).
   */
  | { type: 'loaded'; module: WebAssembly.Module; inert: boolean; signature?: string; ms: { read: number; compile: number; readCpu: number; compileCpu: number }; hashed: boolean }
  /** A `LoadMessage` refused: `read`, the file is missing or changed (else the module cannot be run: a `LoadError`). */
  | { type: 'load-failed'; read: boolean; message: string };
