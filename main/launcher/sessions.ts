/**
 * The running sessions of the desktop and web UI (DESIGN §5, §6): one worker per run, its terminal
 * pane's line discipline, output and exit events, and the run recorded in the library.
 */
import crypto from 'node:crypto';
import type { Library } from '../library/library.ts';
import { Filetype } from '../runtime/abi.ts';
import fs from 'node:fs';
import path from 'node:path';
import type { PreparedInstall } from '../library/library.ts';
import { unpackTranspiled } from '../library/transpiled-store.ts';
import { loadCommand } from '../runtime/load.ts';
import { isPooledOutput } from '../runtime/output-pool.ts';
import type { Program } from '../runtime/p2/program.ts';
import { type Preopen, type RunHandle, type RunOutcome, type RunSpec, primedModule, startRun } from '../runtime/run.ts';
import { CodedError } from '../shared/coded-error.ts';
import type { LauncherEmit, RunExit, SessionInfo } from './events.ts';
import { hostLog } from './host-log.ts';
import type { Prompter } from './asking.ts';
import { prepareRun, warmModule } from './launch.ts';
import { LineDiscipline } from './line-discipline.ts';
import { PromptBroker } from './prompts.ts';
import { runPrompter } from './run-answers.ts';
import { ModuleCache, settled, startTrace } from './warm.ts';
import { SETTLE_MS } from '../library/store.ts';
import { SpareWorker } from './spares.ts';
import { Scrollback } from './scrollback.ts';
import { isoTime } from '../shared/iso-time.ts';

interface Session {
  /** Settles once the run is over and recorded. */
  ended: Promise<void>;
  info: SessionInfo;
  handle: RunHandle;
  preopens: readonly Preopen[];
  line: LineDiscipline;
  cols: number;
  rows: number;
}

const CHAR = Filetype.character_device;
/**
 * The first spare workers boot this long after the core starts (after the window's own start-up),
 * primed with the modules of the apps run last (`warmRecent`).
 */
const SPARE_FIRST_DELAY_MS = 500;
/**
 * When the stored modules never checked yet are checked ahead of their first run (`checkAhead`):
 * this long after the core starts (after the window's start-up and the spares' boot), and after a
 * change to the catalog (an install), once the new file has settled.
 */
const CHECK_AHEAD_DELAY_MS = 2000;
/** A run that has printed nothing yet is taken as under way after this long (its spare is replaced then). */
const UNDER_WAY_MS = 1000;

/** Files and folders handed to a run by gesture. */
export interface Gesture {
  files?: string[];
  folders?: { path: string; always: boolean }[];
}

function exitOf(runId: string, o: RunOutcome): RunExit {
  switch (o.kind) {
    case 'exit':
      return { runId, outcome: 'exit', exitCode: o.code, message: `exited with code ${o.code}` };
    case 'trap':
      return { runId, outcome: 'trap', exitCode: null, message: o.memoryAtCap ? `ran out of memory and crashed: ${o.message}` : `crashed: ${o.message}` };
    case 'timeout':
      return { runId, outcome: 'timeout', exitCode: null, message: 'stopped: time limit reached' };
    case 'cancelled':
      return { runId, outcome: 'cancelled', exitCode: null, message: 'stopped' };
    case 'load-error':
      return { runId, outcome: 'load-error', exitCode: null, message: o.message };
    case 'crash':
      return { runId, outcome: 'crash', exitCode: null, message: `internal error: ${o.message}` };
  }
}

/** The UI's runs. */
export class Sessions {
  private readonly runs = new Map<string, Session>();
  private readonly lib: Library;
  private readonly emit: LauncherEmit;
  private readonly gate: () => Promise<void> | undefined;

  /** Questions from runs in ask mode, put to the person in the window. */
  readonly prompts: PromptBroker;
  /** Compiled modules of the apps run in this window (warm runs). */
  readonly modules = new ModuleCache();
  /** The workers the next runs start in, booted ahead of time. */
  readonly spare = new SpareWorker();
  private readonly warmTimer: NodeJS.Timeout;
  private checkTimer: NodeJS.Timeout | undefined;
  private checkDue = 0;
  /** A `checkAhead` pass is under way; `checkAgain`: another was asked for meanwhile. */
  private checking = false;
  private checkAgain = false;
  private stopped = false;
  private readonly unwatch: () => void;
  /** Each run's latest output and how it ended, for a reloaded window (scrollback.ts). */
  readonly scrollback = new Scrollback();

  /** `gate` is the transport's backpressure (see RunSpec.backpressure). */
  constructor(lib: Library, emit: LauncherEmit, gate: () => Promise<void> | undefined = () => undefined, promptTimeoutMs?: number) {
    this.lib = lib;
    this.emit = emit;
    this.gate = gate;
    this.prompts = new PromptBroker(emit, promptTimeoutMs);
    // Booted once the window's own start-up is done, so they are ready by the first Run.
    this.warmTimer = setTimeout(() => this.warmRecent(), SPARE_FIRST_DELAY_MS);
    this.warmTimer.unref();
    this.checkSoon(CHECK_AHEAD_DELAY_MS);
    this.unwatch = lib.onChange(() => this.checkSoon(CHECK_AHEAD_DELAY_MS));
  }

  /** A `checkAhead` pass in `ms` (or sooner, if one is due sooner). */
  private checkSoon(ms: number): void {
    if (this.stopped) return;
    const due = Date.now() + ms;
    if (this.checkTimer !== undefined && this.checkDue <= due) return;
    clearTimeout(this.checkTimer);
    this.checkDue = due;
    this.checkTimer = setTimeout(() => {
      this.checkTimer = undefined;
      void this.checkAhead();
    }, ms);
    this.checkTimer.unref();
  }

  /**
   * Checks the stored modules of the installed apps that no run or earlier pass has checked, one at
   * a time, in the background (library `checkAhead`: read and hashed once their file has settled,
   * and their stat signature recorded), so that an app's first Run reads its module without hashing
   * it (flite: 21 MB, warm-runs.md round 8). A file not settled yet is checked in another pass once
   * it has. Nothing is compiled, started or recorded besides the signature.
   */
  private async checkAhead(): Promise<void> {
    if (this.checking) return void (this.checkAgain = true);
    this.checking = true;
    let next = Infinity;
    try {
      for (const a of this.lib.list()) {
        if (this.stopped || !this.lib.db.open) return;
        const wait = await this.lib.checkAhead(this.lib.app(a.id));
        if (wait > 0) next = Math.min(next, wait);
      }
    } catch (err) {
      if (!this.stopped) hostLog(this.lib.home, 'check ahead').write(`could not check the stored modules ahead of their runs: ${(err as Error).message}`);
    } finally {
      this.checking = false;
    }
    if (this.checkAgain) {
      this.checkAgain = false;
      this.checkSoon(0);
    }
    // A file changed within SETTLE_MS is checked once it has settled; a change time further ahead
    // (a clock set back) waits for the next change to the catalog or the next start.
    if (next <= SETTLE_MS) this.checkSoon(next + 50);
  }

  /**
   * Compiles the modules of the apps run most recently (as many as there are spares), in the
   * background, and has the spares primed with them (warm-runs.md: the first Run after a restart of
   * an app run last is then as warm as a second one). Reads, checks and records nothing else.
   */
  private warmRecent(): void {
    const modules: Promise<Program>[] = [];
    try {
      for (const a of this.lib.list({ sort: 'last-run' })) {
        if (a.lastRunAt === null || modules.length >= this.spare.count) break;
        const m = warmModule(this.lib, this.lib.app(a.id), this.modules);
        if (m) modules.push(m);
      }
    } catch (err) {
      hostLog(this.lib.home, 'warm start').write(`could not compile the apps run last ahead of time: ${(err as Error).message}`);
    }
    this.spare.expect(modules);
  }

  /**
   * Compiles app `ref`'s module into `modules` in the background, for a Run the person is about to
   * make (`runs.warm`): what a cold Run would wait for (reading and compiling flite's 21 MB, tens
   * of ms) happens while the pointer rests on the button. A booted spare does it (the one the Run
   * would take: a plain one, else the one least worth keeping), and the Run then takes that spare,
   * its instance made (warm-runs.md round 10); with none booted, this thread reads in the background
   * and compiles. Unknown apps throw `not-found`; the rest is `warmModule`'s (nothing recorded or
   * started; a failure is the run's to report).
   */
  warm(ref: string): void {
    warmModule(this.lib, this.lib.app(ref), this.modules, (start) => this.spare.loadIn(start));
  }

  /**
   * Starts app `ref` in a terminal pane of `cols` × `rows`. `gesture` holds files and folders the
   * person handed to this run (see the contract's runs.start).
   */
  start(ref: string, args: string[], cols: number, rows: number, gesture: Gesture = {}): SessionInfo {
    const files = (gesture.files ?? []).map((f) => path.resolve(f));
    for (const f of files) {
      if (!path.isAbsolute(f) || !fs.existsSync(f) || !fs.statSync(f).isFile()) throw new CodedError('bad-file', `${f} is not a file`);
    }
    for (const d of gesture.folders ?? []) {
      if (!path.isAbsolute(d.path) || !fs.existsSync(d.path) || !fs.statSync(d.path).isDirectory()) throw new CodedError('bad-folder', `${d.path} is not a folder`);
      if (d.always) this.lib.grant(ref, [{ kind: 'folder', host: d.path, guest: d.path, access: 'read-write' }]);
    }
    // A module not cached is read, checked and compiled by the spare the run then takes (warm-runs.md round 10).
    const run = prepareRun(this.lib, ref, [...args, ...files], this.modules, (load) => this.spare.loadIn(load));
    if (startTrace.mark) {
      startTrace.mark('run prepared (module asked, run recorded)');
      void run.module.then(() => startTrace.mark?.('module ready'), () => undefined);
    }
    // Pinned now, as the person handed them over: the worker opens exactly these folders.
    const thisRunOnly: Preopen[] = (gesture.folders ?? []).filter((d) => !d.always).map((d) => ({ hostPath: d.path, guestPath: d.path, readOnly: false, pin: this.lib.pinFolder(d.path) }));
    const preopens = [...thisRunOnly, ...run.preopens];
    const runId = crypto.randomUUID();
    return this.launch({
      runId, runNumber: run.runId, appId: run.app.id, appName: run.app.name, module: run.module, args: run.args, env: run.policy.env,
      preopens, cols, rows, memoryMaxBytes: run.policy.memoryMaxBytes, timeoutMs: run.policy.timeoutMs, readOnlyDirs: run.policy.readOnlyDirs,
      onAsk: run.onAsk(this.prompter(runId, run.app.id, () => {
        // The decision (and an "always" grant or denial) is stored right after the answer.
        setImmediate(() => this.emit('apps.changed', { appId: run.app.id }));
      }), undefined, new Set(files)),
      finish: (outcome, bytesOut) => run.finish(outcome, bytesOut),
      follow: (handle, p) => run.follow(handle, p),
      primeNext: true,
    });
  }

  /**
   * "Run once" (DESIGN §7): runs a reviewed module that is not installed, with no grants, asking
   * about every access; nothing is kept but its entry in the run-once log.
   */
  startOnce(prepared: PreparedInstall, cols: number, rows: number): SessionInfo {
    const runId = crypto.randomUUID();
    const w = prepared.write;
    const logId = this.lib.onceStarted(w.name, w.sha256, w.source);
    const ask = this.prompter(runId, `once:${w.sha256.slice(0, 12)}`);
    // A component's output for the 0.2 host was made by the review (prepareInstall): not again.
    const module = loadCommand(prepared.bytes, undefined, { stored: () => prepared.transpiled && unpackTranspiled(prepared.transpiled) });
    module.catch(() => undefined); // reported through the run's outcome
    return this.launch({
      runId, runNumber: null, appId: `once:${w.sha256.slice(0, 12)}`, appName: w.name, module, args: [w.name], env: [],
      preopens: process.platform === 'win32' ? [] : [{ hostPath: '/', guestPath: '/', readOnly: false, ask: true }],
      cols, rows,
      onAsk: async (operation, hostPath) => {
        const q = { appName: w.name, operation, path: path.resolve(hostPath), reason: null };
        const answer = await ask(q);
        // Nothing is kept: "always" answers hold for this run only.
        const allowed = answer === 'allow-once' || answer === 'allow-always';
        this.lib.onceDecision(logId, operation, q.path, allowed ? 'prompted-allowed' : 'denied');
        return allowed;
      },
      finish: (outcome) => this.lib.onceEnded(logId, outcome.kind, outcome.kind === 'exit' ? outcome.code : null),
    });
  }

  /**
   * The window's prompter for run `runId`: its questions go to the prompt broker, with the answers
   * about the whole run ("stop this run" stops it); `answered` is told after each answer.
   */
  private prompter(runId: string, appId: string, answered: () => void = () => undefined): Prompter {
    return runPrompter(async (q, insistent) => {
      const answer = await this.prompts.ask(q, runId, appId, insistent);
      answered();
      return answer;
    }, () => this.runs.get(runId)?.handle.cancel());
  }

  /** Starts a run in a terminal pane and supervises it until it ends. */
  private launch(o: {
    runId: string; runNumber: number | null; appId: string; appName: string; module: Promise<WebAssembly.Module>; args: string[];
    env: readonly (readonly [string, string])[]; preopens: Preopen[]; cols: number; rows: number;
    memoryMaxBytes?: number; timeoutMs?: number; readOnlyDirs?: readonly string[]; onAsk: RunSpec['onAsk']; finish: (outcome: RunOutcome, bytesOut: number) => void;
    follow?: (handle: RunHandle, preopens: readonly Preopen[]) => void;
    /** The next spare worker is primed with this run's module (an installed app's, cached). */
    primeNext?: boolean;
  }): SessionInfo {
    const { runId } = o;
    const env = new Map<string, string>([['TERM', 'xterm-256color'], ['COLUMNS', String(o.cols)], ['LINES', String(o.rows)]]);
    for (const [k, v] of o.env) env.set(k, v);
    let bytesOut = 0;
    const log = hostLog(this.lib.home, `run ${o.appName} (${runId})`);
    // The spare taken is replaced once the run is under way (its first output, its end, or
    // UNDER_WAY_MS): booting one meanwhile would take CPU from the run and from the page drawing it.
    let underWay!: () => void;
    const started = new Promise<void>((r) => {
      underWay = r;
    });
    setTimeout(underWay, UNDER_WAY_MS).unref();
    const booted = startTrace.mark ? this.spare.ready : [];
    const worker = this.spare.take(o.primeNext === true ? o.module : undefined, started);
    const module = settled(o.module);
    const primed = worker !== undefined && primedModule(worker) === module;
    const handle = startRun({
      module,
      args: o.args,
      env: [...env],
      preopens: o.preopens,
      onAsk: o.onAsk,
      stdioTypes: [CHAR, CHAR, CHAR],
      memoryMaxBytes: o.memoryMaxBytes,
      timeoutMs: o.timeoutMs,
      readOnlyDirs: o.readOnlyDirs,
      onOutput: (_stream, data) => {
        if (bytesOut === 0) underWay();
        bytesOut += data.length;
        // In a pooled buffer (run.ts `drain`), lent for this call: the scrollback copies what it
        // keeps, and a listener that keeps the bytes past the event holds them (`holdOutput`).
        // Anything else is only valid during the call too: copied (a plain Uint8Array: a Buffer
        // would reach the wire through its toJSON).
        this.output(runId, isPooledOutput(data) ? data : new Uint8Array(data));
      },
      backpressure: this.gate,
      // Host errors go to Terrarium's log, never into the app's pane.
      onLog: (message, detail) => void log.write(message, detail),
    }, worker);
    startTrace.mark?.(primed ? 'worker handed the run (primed with its module)' : 'worker handed the run');
    if (startTrace.mark && primed && !this.spare.wasReady(worker)) startTrace.mark('(its primed instance was not made yet)');
    if (startTrace.mark && worker === undefined) startTrace.mark('(no spare: a worker booted for it)');
    else if (startTrace.mark && worker !== undefined && !booted.includes(worker)) startTrace.mark('(the spare was still booting)');
    o.follow?.(handle, o.preopens);
    const line = new LineDiscipline({
      echo: (text) => this.output(runId, new TextEncoder().encode(text)),
      deliver: (bytes) => void handle.writeStdin(bytes),
      endOfInput: () => handle.endStdin(),
      interrupt: () => handle.cancel(),
    });
    const info: SessionInfo = { runId, runNumber: o.runNumber, appId: o.appId, appName: o.appName, args: o.args.slice(1), startedAt: isoTime(Date.now()) };
    this.scrollback.begin(info);
    const ended = handle.done.then((outcome) => {
      underWay();
      this.runs.delete(runId);
      this.prompts.endRun(runId);
      o.finish(outcome, bytesOut);
      const exit = exitOf(runId, outcome);
      this.scrollback.end(runId, exit);
      this.emit('run.exit', exit);
      this.emit('apps.changed', { appId: o.appId });
    });
    this.runs.set(runId, { info, handle, line, cols: o.cols, rows: o.rows, preopens: o.preopens, ended });
    this.emit('apps.changed', { appId: o.appId });
    return info;
  }

  /** A run's output (the guest's, or the line discipline's echo): kept for reloads, then sent. */
  private output(runId: string, data: Uint8Array): void {
    this.scrollback.append(runId, data);
    this.emit('run.output', { runId, data });
  }

  private get(runId: string): Session {
    const s = this.runs.get(runId);
    if (!s) throw new CodedError('not-running', `no running session ${runId}`);
    return s;
  }

  /** Keystrokes from the pane. */
  input(runId: string, data: string): void {
    this.get(runId).line.input(data);
  }

  /** The pane was resized (the app sees the new size on its next run: preview1 has no SIGWINCH). */
  resize(runId: string, cols: number, rows: number): void {
    const s = this.get(runId);
    s.cols = cols;
    s.rows = rows;
  }

  /** Stops a run. */
  stop(runId: string): void {
    this.get(runId).handle.cancel();
  }

  list(): SessionInfo[] {
    return [...this.runs.values()].map((s) => s.info);
  }

  /** How many runs of `appId` are live. */
  running(appId: string): number {
    let n = 0;
    for (const s of this.runs.values()) if (s.info.appId === appId) n++;
    return n;
  }

  /** Grants were revoked: a live run's next access through them is denied (DESIGN §5). */
  revoked(grantIds: readonly number[]): void {
    const ids = new Set(grantIds);
    for (const s of this.runs.values()) {
      s.preopens.forEach((p, i) => {
        if (p.grantId !== undefined && ids.has(p.grantId)) s.handle.revoke(i);
      });
    }
  }

  /** Stops everything (shutting down); resolves once every run is over and recorded and the spare worker is gone. */
  async stopAll(): Promise<void> {
    const ended = [...this.runs.values()].map((s) => s.ended);
    for (const s of this.runs.values()) s.handle.cancel();
    clearTimeout(this.warmTimer);
    this.stopped = true;
    clearTimeout(this.checkTimer);
    this.unwatch();
    this.modules.clear();
    await Promise.all([...ended, this.spare.close()]);
  }
}
