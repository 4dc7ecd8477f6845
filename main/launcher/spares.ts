/**
 * Spare run workers for the window (issue 14.4, docs/design/warm-runs.md): booted ahead of time,
 * each primed with one of the modules run most recently (run.ts `primeWorker`), handed to the next
 * run. Every run still gets a thread that has run nothing before.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { bootWorker, primeWorker } from '../runtime/run.ts';
import type { Program } from '../runtime/p2/program.ts';

/** When spare workers are kept. */
export interface SparePolicy {
  /** Spares are dropped after this long without a run. */
  idleMs: number;
  /** No spare is booted while the system has less memory available than this. */
  minFreeBytes: number;
  /** Delay before a spare replaces the one a run took, counted from when the run is under way. */
  refillDelayMs: number;
  /** How many spares at most: one per module among the last `count` run (one plain spare before any run). */
  count: number;
}

/**
 * Default: two spares (the last two apps run), dropped after 5 minutes without runs, none under
 * 512 MiB of free memory; a replacement boots 100 ms after its run's first output (booting one
 * costs ~70-85 ms of CPU, which the run and the page drawing its output have better use for).
 */
export const DEFAULT_SPARE_POLICY: SparePolicy = { idleMs: 5 * 60 * 1000, minFreeBytes: 512 * 1024 * 1024, refillDelayMs: 100, count: 2 };

interface Spare {
  worker: Worker;
  /** The module it is primed with (or will be, once compiled); none for a plain spare. */
  module?: Promise<Program>;
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
  private readonly policy: SparePolicy;
  private readonly freeMemory: () => number;

  constructor(policy: SparePolicy = DEFAULT_SPARE_POLICY, freeMemory: () => number = os.freemem) {
    this.policy = policy;
    this.freeMemory = freeMemory;
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
   * A spare for a run of `module` starting now (its owner from here), or undefined: the one primed
   * with `module` if there is one, else the one primed with the module run least recently. Spares
   * follow once `underWay` settles (the run's first output, say), primed with `module` (the run's,
   * when given) and the others run most recently.
   */
  take(module?: Promise<Program>, underWay: Promise<unknown> = Promise.resolve()): Worker | undefined {
    const rank = (s: Spare): number => (s.module === undefined ? -1 : this.recent.indexOf(s.module));
    const pick = this.spares.find((s) => module !== undefined && s.module === module)
      ?? [...this.spares].sort((a, b) => (rank(a) === -1 ? -1 : rank(b) === -1 ? 1 : rank(b) - rank(a)))[0];
    if (pick) this.spares.splice(this.spares.indexOf(pick), 1);
    if (module !== undefined) this.remember(module, true);
    this.idle();
    void underWay.then(() => this.fill(this.policy.refillDelayMs), () => this.fill(this.policy.refillDelayMs));
    const w = pick?.worker;
    if (!w || w.threadId < 0) return undefined;
    w.removeAllListeners('exit');
    w.removeAllListeners('error');
    w.ref();
    return w;
  }

  /** Stops every spare and boots no other; resolves once their threads are gone. */
  async close(): Promise<void> {
    this.closed = true;
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
   * Gives each recent module a spare (one plain spare before any run): a plain one if there is one,
   * else a new one, in place of a spare primed with a module no longer recent when `policy.count`
   * are there already; none boots under the memory floor.
   */
  private refill(): void {
    if (this.closed) return;
    const wanted: (Promise<Program> | undefined)[] = this.recent.length > 0 ? this.recent : [undefined];
    for (const module of wanted) {
      if (this.spares.some((s) => s.module === module)) continue;
      const plain = module === undefined ? undefined : this.spares.find((s) => s.module === undefined);
      if (plain) {
        this.prime(plain, module!);
        continue;
      }
      if (this.spares.length >= this.policy.count) {
        const stale = this.spares.find((s) => !wanted.includes(s.module));
        if (!stale) return;
        this.spares.splice(this.spares.indexOf(stale), 1);
        void stale.worker.terminate();
      }
      if (this.freeMemory() < this.policy.minFreeBytes) return;
      this.boot(module);
    }
  }

  private boot(module: Promise<Program> | undefined): void {
    const w = bootWorker();
    w.unref();
    const spare: Spare = { worker: w };
    const gone = (): void => {
      const i = this.spares.indexOf(spare);
      if (i >= 0) this.spares.splice(i, 1);
    };
    w.once('exit', gone);
    w.on('error', gone);
    this.spares.push(spare);
    this.idle();
    if (module !== undefined) this.prime(spare, module);
  }

  /** Primes `spare` with `module` once it has compiled (a worker is primed once: run.ts). */
  private prime(spare: Spare, module: Promise<Program>): void {
    spare.module = module;
    module.then((m) => {
      if (this.spares.includes(spare)) primeWorker(spare.worker, m);
    }, () => undefined);
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
