/**
 * Spare run workers for the window (issue 14.4, docs/design/warm-runs.md): booted ahead of time,
 * each primed with one of the modules run most recently (run.ts `primeWorker`), handed to the next
 * run. Every run still gets a thread that has run nothing before.
 */
import os from 'node:os';
import { BroadcastChannel, type Worker } from 'node:worker_threads';
import { bootWorker, primeWorker } from '../runtime/run.ts';
import type { Program } from '../runtime/p2/program.ts';
import { SPARE_BOOTED_CHANNEL } from '../runtime/worker-protocol.ts';
import { startTrace } from './warm.ts';

/** When spare workers are kept. */
export interface SparePolicy {
  /** Spares are dropped after this long without a run. */
  idleMs: number;
  /** No spare is booted while the system has less memory available than this. */
  minFreeBytes: number;
  /** Delay before a spare replaces the one a run took, counted from when the run is under way. */
  refillDelayMs: number;
  /** How many spares at most: one per module among the last `count` run, a plain spare in a slot none fills (one before any run). */
  count: number;
}

/**
 * Default: two spares (the last two apps run), dropped after 5 minutes without runs, none under
 * 512 MiB of free memory; a replacement boots 50 ms after its run's first output, once the page has
 * drawn it (booting one costs ~70-85 ms of CPU, which a cold run reading, checking, compiling and
 * instantiating its module, and the page drawing its first output, need more).
 */
export const DEFAULT_SPARE_POLICY: SparePolicy = { idleMs: 5 * 60 * 1000, minFreeBytes: 512 * 1024 * 1024, refillDelayMs: 50, count: 2 };

interface Spare {
  worker: Worker;
  /** It has booted (said so on `SPARE_BOOTED_CHANNEL`): a run given it starts at once. */
  booted?: boolean;
  /** Resolves once it has booted. */
  boot: Promise<void>;
  /** Resolves `boot`. */
  onBooted: () => void;
  /** The module it is primed with (or will be, once compiled); none for a plain spare. */
  module?: Promise<Program>;
  /** Its primed instance is made (said so on `SPARE_BOOTED_CHANNEL`). */
  instantiated?: boolean;
  /** It reads, checks and compiles its `module` itself (`loadIn`), and is primed with it by then. */
  loads?: boolean;
  /**
   * Its module was loaded by `loadIn`, for a run about to come (the pointer on Run): not replaced
   * as stale by a refill before a run takes it (or it idles out).
   */
  ahead?: boolean;
  /** Forgets it when its thread ends (removed when a run takes it; a run's own listeners stay). */
  gone: () => void;
}

/**
 * At most `policy.count` spare run workers (`bootWorker`), handed to the next runs. After a run of
 * module M, the spares are primed with M and the other modules run most recently (each its own), so
 * running any of the last `count` apps again skips instantiating it (flite: copying its 17 MB of
 * data); modules known to be wanted before any run (`expect`) count as run. Replaced after use, none
 * when idle for `idleMs` or when memory is short. Their threads do not keep the process alive.
 */
export class SpareWorker {
  private spares: Spare[] = [];
  /** The modules to prime spares with, most recently run first (at most `policy.count`). */
  private recent: Promise<Program>[] = [];
  private refillTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The latest run's start, settled once it is under way: spares are primed only after it. */
  private starting: Promise<unknown> = Promise.resolve();
  /** Workers handed to runs whose primed instance was made by then (diagnostics: bench --trace). */
  private readonly handedReady = new WeakSet<Worker>();
  private readonly policy: SparePolicy;
  private readonly freeMemory: () => number;
  private readonly booted = new BroadcastChannel(SPARE_BOOTED_CHANNEL);

  constructor(policy: SparePolicy = DEFAULT_SPARE_POLICY, freeMemory: () => number = os.freemem) {
    this.policy = policy;
    this.freeMemory = freeMemory;
    this.booted.onmessage = (e): void => {
      const { threadId, primed } = (e as { data: { threadId: number; primed?: boolean } }).data;
      const spare = this.spares.find((s) => s.worker.threadId === threadId);
      if (spare && primed === true) spare.instantiated = true;
      else if (spare) {
        startTrace.mark?.('a spare worker has booted');
        spare.booted = true;
        spare.onBooted();
        // The next spare wanted boots now (one at a time), unless a run is starting.
        void this.quiet().then(() => this.fill());
      }
    };
    this.booted.unref(); // never keeps the process alive
  }

  /** A spare worker now (the most recently booted), if any (for tests and diagnostics). */
  get current(): Worker | undefined {
    return this.spares.at(-1)?.worker;
  }

  /** How many spares are kept at most. */
  get count(): number {
    return this.policy.count;
  }

  /** Every spare worker now (for tests and diagnostics). */
  get all(): Worker[] {
    return this.spares.map((s) => s.worker);
  }

  /** The spare workers that have booted (for tests and diagnostics). */
  get ready(): Worker[] {
    return this.spares.filter((s) => s.booted === true).map((s) => s.worker);
  }

  /** The spare workers whose primed instance is made (for tests and diagnostics). */
  get instantiated(): Worker[] {
    return this.spares.filter((s) => s.instantiated === true).map((s) => s.worker);
  }

  /** Whether `worker`, handed to a run by `take`, had its primed instance made by then (diagnostics). */
  wasReady(worker: Worker): boolean {
    return this.handedReady.has(worker);
  }

  /** Boots the spares wanted after `delayMs`, unless memory is short or this is closed. */
  fill(delayMs = 0): void {
    if (this.closed || this.refillTimer) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      this.refill();
    }, delayMs);
    this.refillTimer.unref();
  }

  /**
   * Modules likely to run soon, most likely first (the apps run last before a restart): spares are
   * primed with them as with modules run, behind those run since.
   */
  expect(modules: Promise<Program>[]): void {
    for (const m of modules) if (!this.recent.includes(m) && this.recent.length < this.policy.count) this.remember(m, false);
    this.fill();
  }

  /**
   * A spare for a run of `module` starting now (its owner from here), or undefined. Booted spares
   * first (one still booting makes its run wait for the rest of its boot, where instantiating anew
   * takes milliseconds); among those, the one primed with `module`, else the one whose module is
   * the least worth keeping (none, or the one run least recently). Spares follow once `underWay`
   * settles (the run's first output, say), primed with `module` (the run's, when given) and the
   * others run most recently. No spare is primed until then either: instantiating a module (flite:
   * copying 17 MB of data) in a spare while a run starts takes CPU from the run and from the page.
   */
  take(module?: Promise<Program>, underWay: Promise<unknown> = Promise.resolve()): Worker | undefined {
    // Lower is better: booted, then primed with `module`, then the least worth keeping (no module or
    // one no longer recent, then the one run least recently).
    const order = (s: Spare): number => (s.booted ? 0 : 2) + (module !== undefined && s.module === module ? 0 : 1);
    // A spare loading another module itself (`loadIn`) stays that module's until it has.
    const free = this.spares.filter((s) => s.loads !== true || s.module === module);
    const pick = free.sort((a, b) => order(a) - order(b) || this.worth(a) - this.worth(b))[0];
    if (pick) this.spares.splice(this.spares.indexOf(pick), 1);
    if (pick?.instantiated === true) this.handedReady.add(pick.worker);
    if (module !== undefined) this.remember(module, true);
    this.idle();
    this.starting = underWay;
    void underWay.then(() => this.fill(this.policy.refillDelayMs), () => this.fill(this.policy.refillDelayMs));
    const w = pick?.worker;
    if (!w || w.threadId < 0) return undefined;
    w.off('exit', pick!.gone);
    w.off('error', pick!.gone);
    w.ref();
    return w;
  }

  /**
   * Has a booted spare load a module itself (warm-runs.md round 10): `start(worker)` asks it (run.ts
   * `loadInWorker`) and returns the module to be; the spare is then primed with it (the worker
   * instantiates it itself), so a run of that module (`take` given the same promise) is handed
   * this very worker. The spare is the one `take` would hand a run of a module no spare is primed
   * with: a plain one, else the one whose module is the least worth keeping. Undefined, asking
   * nothing, when none has booted (the read would wait for the rest of a boot); a spare whose
   * load fails is dropped.
   */
  loadIn(start: (worker: Worker) => Promise<Program>): Promise<Program> | undefined {
    const spare = this.spares.filter((s) => s.booted === true && s.loads !== true).sort((a, b) => this.worth(a) - this.worth(b))[0];
    if (spare === undefined) return undefined;
    const module = start(spare.worker);
    spare.module = module;
    spare.loads = true;
    // One spare at most is kept for a run about to come (the last Run the pointer rested on, or the
    // run starting): an earlier one is again a spare like the others, replaceable by a refill.
    for (const s of this.spares) s.ahead = false;
    spare.ahead = true;
    spare.instantiated = false;
    this.idle();
    // Loaded, it is a spare primed with `module` like any other; failed, it is dropped.
    module.then(() => {
      spare.loads = false;
    }, () => {
      spare.loads = false;
      const i = this.spares.indexOf(spare);
      if (i < 0) return;
      this.spares.splice(i, 1);
      void spare.worker.terminate();
    });
    return module;
  }

  /** How much spare `s` is worth keeping (lower: less): none or a module no longer recent, then the one run least recently. */
  private worth(s: Spare): number {
    const i = s.module === undefined ? -1 : this.recent.indexOf(s.module);
    return i === -1 ? -Infinity : -i;
  }

  /** Stops every spare and boots no other; resolves once their threads are gone. */
  async close(): Promise<void> {
    this.closed = true;
    this.booted.close();
    this.recent = [];
    clearTimeout(this.refillTimer);
    clearTimeout(this.idleTimer);
    this.refillTimer = undefined;
    const gone = this.spares.map((s) => s.worker.terminate());
    this.spares = [];
    await Promise.all(gone);
  }

  /** Puts `module` among the recent ones (first when `first`, else last); one that fails to compile is forgotten. */
  private remember(module: Promise<Program>, first: boolean): void {
    const others = this.recent.filter((m) => m !== module);
    this.recent = (first ? [module, ...others] : [...others, module]).slice(0, this.policy.count);
    module.catch(() => {
      this.recent = this.recent.filter((m) => m !== module);
    });
  }

  /**
   * Gives each recent module a spare, the most recent first, and one plain spare while fewer than
   * `policy.count` modules are recent (before any run, after the first app's): a
   * plain one if there is one, else a new one, in place of a spare primed with a module no longer
   * recent when `policy.count` are there already; none boots under the memory floor. One boots at a
   * time (the next when it has booted): two booting at once (after a run of a third app, say) would
   * each be ready later, the one for the app run last included, on a machine of two cores.
   */
  private refill(): void {
    if (this.closed) return;
    // A slot no recent module fills holds a plain spare: after the first app's run, the next app's
    // first Run finds a booted worker rather than the replacement still booting (warm-runs.md round 9).
    const wanted: (Promise<Program> | undefined)[] = this.recent.length < this.policy.count ? [...this.recent, undefined] : this.recent;
    for (const module of wanted) {
      if (this.spares.some((s) => s.module === module)) continue;
      if (this.spares.some((s) => s.booted !== true)) return;
      const plain = module === undefined ? undefined : this.spares.find((s) => s.module === undefined);
      if (plain) {
        this.prime(plain, module!);
        continue;
      }
      if (this.spares.length >= this.policy.count) {
        const stale = this.spares.find((s) => !wanted.includes(s.module) && s.ahead !== true);
        if (!stale) return;
        this.spares.splice(this.spares.indexOf(stale), 1);
        void stale.worker.terminate();
      }
      if (this.freeMemory() < this.policy.minFreeBytes) return;
      this.boot(module);
    }
  }

  private boot(module: Promise<Program> | undefined): void {
    startTrace.mark?.('a spare worker boots');
    const w = bootWorker();
    w.unref();
    let onBooted!: () => void;
    const spare: Spare = {
      worker: w, boot: new Promise<void>((r) => (onBooted = r)), onBooted: () => onBooted(),
      gone: () => {
        const i = this.spares.indexOf(spare);
        if (i >= 0) this.spares.splice(i, 1);
      },
    };
    w.once('exit', spare.gone);
    w.on('error', spare.gone);
    this.spares.push(spare);
    this.idle();
    if (module !== undefined) this.prime(spare, module);
  }

  /**
   * Primes `spare` with `module` once it has compiled, the spare has booted and no run is starting
   * (a worker is primed once: run.ts). A run that takes the spare before then instantiates anew.
   */
  private prime(spare: Spare, module: Promise<Program>): void {
    spare.module = module;
    Promise.all([module, spare.boot]).then(async ([m]) => {
      await this.quiet();
      // Not if it has been given another module to load itself since (`loadIn`).
      if (this.spares.includes(spare) && spare.module === module) primeWorker(spare.worker, m);
    }, () => undefined);
  }

  /** Resolves once no run is starting (the latest run taken is under way). */
  private async quiet(): Promise<void> {
    for (let s = this.starting; ; s = this.starting) {
      await s.then(() => undefined, () => undefined);
      if (s === this.starting) return;
    }
  }

  /** (Re)arms the idle timer: no run for `idleMs` drops every spare. */
  private idle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const dropped = this.spares;
      this.spares = [];
      for (const s of dropped) void s.worker.terminate();
    }, this.policy.idleMs);
    this.idleTimer.unref();
  }
}
