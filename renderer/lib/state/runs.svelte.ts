/**
 * Terminal tabs: one per run (DESIGN §6). A tab keeps its terminal across re-runs; output that
 * arrives before its pane is ready, or before `runs.start` has answered with the run's id, is held
 * and written in order once both are known.
 */
import type { Events, RunExit } from '../../../preload/api.ts';
import { ApiFailure, on, request } from '../api.ts';
import { visibleText } from '../util/sanitize.ts';
import { nav } from './nav.svelte.ts';
import { prompts } from './prompts.svelte.ts';
import { errorMessage, status } from './status.svelte.ts';

/** What a pane offers its tab: the terminal it draws into. */
export interface TerminalHandle {
  /** `plain`: `data` is known to be plain text (write-batch.ts `WriteBatcher.push`). */
  write(data: Uint8Array, plain?: boolean): void;
  reset(): void;
  size(): { cols: number; rows: number };
  focus(): void;
}

/**
 * What the person handed the run by choosing it (DESIGN §5, grants by gesture): files passed as
 * arguments and usable by this run only, folders for this run or kept as a grant.
 */
export interface Gesture {
  files?: string[];
  folders?: { path: string; always: boolean }[];
}

/** Where a tab's run is. */
export type RunState = 'starting' | 'running' | 'exited' | 'failed';

let tabSerial = 0;

/** One terminal tab. */
export class RunTab {
  readonly id = `tab-${++tabSerial}`;
  /** Its app (set once: at construction, or when a standby tab is claimed, see `Runs.standby`). */
  appId = $state('');
  appName = $state('');
  /** The arguments given after the app's default ones ("Run with arguments…" may change them). */
  args = $state<string[] | undefined>();
  /** A reviewed module run once without installing it (install.runOnce), or null for an installed app. */
  previewId: string | null = null;
  /** What the person chose when opening the tab, as the tab shows it. */
  chosen = $state<Gesture | undefined>();
  /** What the next start passes on: the choice again, minus folders kept as grants since. */
  gesture: Gesture | undefined;
  runId = $state<string | null>(null);
  /** The run's number in the run history and the activity log. */
  runNumber = $state<number | null>(null);
  /** The arguments the run got: the default ones, then the given ones. */
  ranWith = $state<string[]>([]);
  state = $state<RunState>('starting');
  exit = $state<RunExit | null>(null);
  /** Why the run could not start (a request failure), shown in the status bar. */
  error = $state<string | null>(null);
  startedAt = $state<string | null>(null);
  /** Whether anything (the app's output or the echo of typing) has shown since the run started. */
  printed = $state(false);
  /** The pane's terminal, once mounted (not reactive: the pane owns it). */
  handle: TerminalHandle | null = null;
  pending: Uint8Array[] = [];
  /** Its first start was asked for (by `Runs.open`, or by its pane once mounted). */
  startAsked = false;

  constructor(appId: string, appName: string, args?: string[], gesture?: Gesture, previewId: string | null = null) {
    this.claim(appId, appName, args, gesture, previewId);
  }

  /** Makes this tab app `appId`'s (a standby tab's pane is mounted before it knows its app). */
  claim(appId: string, appName: string, args?: string[], gesture?: Gesture, previewId: string | null = null): void {
    this.previewId = previewId;
    this.appId = appId;
    this.appName = appName;
    this.args = args;
    this.chosen = gesture;
    this.gesture = gesture;
  }

  /** A run of a module that is not installed: no app page, no re-run (its review was used up). */
  get once(): boolean {
    return this.previewId !== null || this.appId.startsWith('once:');
  }

  get live(): boolean {
    return this.state === 'starting' || this.state === 'running';
  }

  write(data: Uint8Array, plain = false): void {
    if (this.handle) this.handle.write(data, plain);
    else this.pending.push(data);
  }
}

const ORPHAN_LIMIT = 64;
/** At the latest, how long after a standby tab is claimed its replacement is made (once the page is idle). */
const STANDBY_AFTER_MS = 1000;
/** An app's module is asked to be compiled ahead at most this often (main keeps it while it is unchanged). */
const WARM_AGAIN_MS = 2000;
/** Longest wait for an idle moment before a standby tab is made anyway. */
const IDLE_TIMEOUT_MS = 5000;
/** Output flows while runs wrote at least FLOW_BYTES within QUIET_MS, the last of it under QUIET_MS ago... */
const QUIET_MS = 250;
const FLOW_BYTES = 64 * 1024;
/** ...and a standby tab is not made while it flows, unless it has waited this long. */
const MAX_DEFER_MS = 10_000;
/** How long after `apps.changed` open tabs' apps are checked (see `Runs.checkSoon`). */
const CHECK_DELAY_MS = 250;
const ORPHAN_CHUNKS = 256;

/** Every open tab, and the events that feed them. */
export class Runs {
  tabs = $state<RunTab[]>([]);
  /**
   * A tab whose pane (and terminal) is mounted ahead of time, hidden, and claimed by the next Run
   * (issue 14.4): a Run click then only reveals a pane, laid out and fitted, instead of mounting
   * one before its first output can be drawn. Made when the page is idle (see `prepareStandby`);
   * never in `tabs`, never started until claimed.
   */
  standby = $state<RunTab | null>(null);
  /** Every tab with a pane: the open tabs, then the standby one (claiming it keeps its place). */
  get panes(): RunTab[] {
    return this.standby ? [...this.tabs, this.standby] : this.tabs;
  }
  private standbyPlanned = false;
  /** When a run last wrote output (performance.now()), and how much since `flowFrom`. */
  private outputAt = 0;
  private flowFrom = 0;
  private flowBytes = 0;

  /** Whether output flows (see FLOW_BYTES): a flood, not a run's few lines. */
  private flowing(now: number): boolean {
    return now - this.outputAt < QUIET_MS && this.flowBytes >= FLOW_BYTES;
  }
  /** The timer of a standby tab planned for later, until it starts waiting for an idle moment. */
  private standbyTimer: ReturnType<typeof setTimeout> | undefined;
  /** When each app was last warmed (`warm`). */
  private readonly warmedAt = new Map<string, number>();
  /** Apps uninstalled since their tabs opened: those tabs stay readable, Re-run is off. */
  gone = $state<string[]>([]);
  private readonly byRun = new Map<string, RunTab>();
  /** Output and exits of runs whose `runs.start` has not answered yet. */
  private readonly orphans = new Map<string, { output: Uint8Array[]; exit: RunExit | null }>();
  /** Runs of closed tabs, whose remaining output is dropped. */
  private readonly dropped = new Set<string>();
  /** The size of the last terminal that started a run: a new tab's pane will have the same. */
  private lastSize: { cols: number; rows: number } | null = null;
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  private checkAll = false;
  private readonly toCheck = new Set<string>();

  /** Subscribes to run events; call once after connecting. */
  listen(): void {
    on('run.output', (e) => this.output(e));
    on('run.exit', (e) => this.exited(e));
    on('apps.changed', (e) => this.checkSoon(e.appId));
  }

  /**
   * Checks the apps of open tabs are still installed, a moment after `apps.changed` (every run's
   * start and end sends one): coalesced, and never between a Run click and its first output.
   */
  private checkSoon(appId: string | null): void {
    if (appId === null) this.checkAll = true;
    else this.toCheck.add(appId);
    this.checkTimer ??= setTimeout(() => {
      this.checkTimer = undefined;
      const ids = this.checkAll ? [null] : [...this.toCheck];
      this.checkAll = false;
      this.toCheck.clear();
      for (const id of ids) void this.checkInstalled(id);
    }, CHECK_DELAY_MS);
  }

  /** Whether app `appId` of a tab was uninstalled (from this window, the CLI or another window). */
  isGone(appId: string): boolean {
    return this.gone.includes(appId);
  }

  /** Marks the apps of open tabs that are no longer installed (`appId`, or every tab's app when null). */
  async checkInstalled(appId: string | null): Promise<void> {
    const ids = new Set(this.tabs.filter((t) => !t.once && !this.isGone(t.appId) && (appId === null || t.appId === appId)).map((t) => t.appId));
    for (const id of ids) {
      try {
        await request('apps.get', { ref: id });
      } catch (err) {
        if (err instanceof ApiFailure && err.code === 'not-found' && !this.isGone(id)) this.gone.push(id);
      }
    }
  }

  /** Closes every tab whose run has ended (finished or never started). */
  closeFinished(): void {
    for (const t of this.tabs.filter((t) => !t.live)) this.close(t);
  }

  /**
   * Gives back the tabs of a reloaded window (issue 13.5): each run main supervises and each
   * finished run it kept, with the output main kept of it (its latest, bounded: older output is
   * noted as not kept). Output that reached this page before the answer is in the kept output.
   */
  async adopt(): Promise<void> {
    const recent = await request('runs.recent', {});
    for (const r of recent) {
      if (this.byRun.has(r.runId)) continue;
      const tab = new RunTab(r.appId, r.appName);
      tab.runId = r.runId;
      tab.runNumber = r.runNumber;
      tab.ranWith = r.args;
      tab.startedAt = r.startedAt;
      tab.state = 'running';
      if (r.cut > 0) tab.write(new TextEncoder().encode(`\x1b[2m(${r.cut} bytes of earlier output were not kept)\x1b[0m\r\n`));
      if (r.output.length > 0) tab.write(r.output);
      this.byRun.set(r.runId, tab);
      const held = this.orphans.get(r.runId);
      this.orphans.delete(r.runId);
      const exit = r.exit ?? held?.exit ?? null;
      if (exit) {
        tab.exit = exit;
        tab.state = 'exited';
      }
      this.tabs.push(tab);
    }
  }

  /**
   * Opens a new tab for `app` and shows it; its pane starts the run once it knows its size.
   * `gesture` holds the files and folders the person chose for it.
   */
  open(app: { id: string; name: string }, args?: string[], gesture?: Gesture): RunTab {
    const tab = this.newTab(app.id, app.name, args, gesture);
    this.begin(tab);
    return tab;
  }

  /** A tab for app `appId`: the standby one claimed if there is one (a replacement planned), else a new one. */
  private newTab(appId: string, appName: string, args?: string[], gesture?: Gesture, previewId: string | null = null): RunTab {
    const tab = this.standby;
    if (!tab) return new RunTab(appId, appName, args, gesture, previewId);
    this.standby = null;
    tab.claim(appId, appName, args, gesture, previewId);
    // Its pane calls `prepareStandby()` once the run's first output is drawn; this is for a run that prints nothing.
    this.prepareStandby(STANDBY_AFTER_MS);
    return tab;
  }

  /**
   * Makes a standby tab (see `standby`) at the page's first idle moment after `delayMs`, unless
   * there is one or one is planned sooner. Not while a run's first output is awaited (the page
   * is idle then too): a pane calls this once its run's first output is on screen.
   */
  prepareStandby(delayMs = 0): void {
    if (this.standby) return;
    if (this.standbyPlanned) {
      if (delayMs > 0 || !this.standbyTimer) return;
      clearTimeout(this.standbyTimer); // sooner than planned
    }
    this.standbyPlanned = true;
    this.standbyTimer = undefined;
    const plannedAt = performance.now();
    const make = (): void => {
      // Not while output flows (a flood has idle moments between frames, and mounting a pane
      // there delays the clicks made during it), unless it has flowed for long.
      const now = performance.now();
      if (this.flowing(now) && now - plannedAt < MAX_DEFER_MS) {
        this.standbyTimer = setTimeout(whenIdle, QUIET_MS);
        return;
      }
      this.standbyPlanned = false;
      this.standby ??= new RunTab('', '');
    };
    const whenIdle = (): void => {
      this.standbyTimer = undefined;
      if (typeof requestIdleCallback === 'function') requestIdleCallback(make, { timeout: IDLE_TIMEOUT_MS });
      else setTimeout(make, 200);
    };
    if (delayMs > 0) this.standbyTimer = setTimeout(whenIdle, delayMs);
    else whenIdle();
  }

  /**
   * Opens a tab running the reviewed module `preview` once, without installing it: no grants,
   * every access asked, nothing kept (issue 6's "Run once").
   */
  openOnce(preview: { previewId: string; name: string }): RunTab {
    const tab = this.newTab(`once:${preview.previewId}`, preview.name, undefined, undefined, preview.previewId);
    this.begin(tab);
    return tab;
  }

  /**
   * Shows a new tab; its run is asked for at once when the terminal's size is known from an
   * earlier pane (the run starts while the pane mounts), otherwise by the pane once it is measured.
   */
  private begin(tab: RunTab): void {
    this.tabs.push(tab);
    // A claimed standby tab's terminal is fitted already: its size is known even for a window's first run.
    if (this.lastSize || tab.handle) void this.start(tab);
    nav.go({ kind: 'terminal', tabId: tab.id });
  }

  /** A mounted pane's first start: unless `open` asked for it already. */
  startMounted(tab: RunTab): void {
    if (tab !== this.standby && !tab.startAsked && tab.state === 'starting' && tab.runId === null) void this.start(tab);
  }

  /** Shows the newest live tab of app `appId` (true), or opens a new one for it (false). */
  focusOrOpen(app: { id: string; name: string }): boolean {
    const live = this.tabs.findLast((t) => t.appId === app.id && t.live);
    if (live) {
      nav.go({ kind: 'terminal', tabId: live.id });
      return true;
    }
    this.open(app);
    return false;
  }

  /**
   * Stops every run of app `appId` main supervises, in this window's tabs or not; resolves to how
   * many were asked to stop.
   */
  async stopApp(appId: string): Promise<number> {
    const sessions = (await request('runs.list', {})).filter((s) => s.appId === appId);
    let n = 0;
    for (const s of sessions) {
      try {
        await request('runs.stop', { runId: s.runId });
        n++;
      } catch (err) {
        if (!(err instanceof ApiFailure && err.code === 'not-running')) throw err;
      }
    }
    return n;
  }

  /** Stops every run of app `appId` and resolves once main supervises none (at most `ms`). */
  async stopAppAndWait(appId: string, ms = 10_000): Promise<void> {
    await this.stopApp(appId);
    const until = Date.now() + ms;
    while ((await request('runs.list', {})).some((s) => s.appId === appId)) {
      if (Date.now() > until) throw new Error('its runs did not stop in time; try again');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The tab with id `tabId`. */
  tab(tabId: string): RunTab | undefined {
    return this.tabs.find((t) => t.id === tabId);
  }

  /** How many runs are live in tabs. */
  get liveCount(): number {
    return this.tabs.filter((t) => t.live).length;
  }

  /** Starts (or restarts) `tab`'s run at the pane's size. */
  async start(tab: RunTab): Promise<void> {
    const { cols, rows } = tab.handle?.size() ?? this.lastSize ?? { cols: 80, rows: 24 };
    if (tab.handle) this.lastSize = { cols, rows };
    tab.startAsked = true;
    tab.state = 'starting';
    tab.printed = false;
    tab.exit = null;
    tab.error = null;
    try {
      const g = tab.gesture;
      const info = tab.previewId
        ? await request('install.runOnce', { previewId: tab.previewId, cols, rows })
        : await request('runs.start', { ref: tab.appId, args: tab.args, cols, rows, files: g?.files, folders: g?.folders });
      // A folder kept as a grant is in the app's permissions now: a re-run gets it from there (or,
      // if the person has removed it meanwhile, does not get it back behind their back).
      if (g?.folders?.some((f) => f.always)) tab.gesture = { ...g, folders: g.folders.filter((f) => !f.always) };
      tab.runId = info.runId;
      tab.runNumber = info.runNumber;
      tab.ranWith = info.args;
      tab.startedAt = info.startedAt;
      tab.state = 'running';
      this.byRun.set(info.runId, tab);
      const held = this.orphans.get(info.runId);
      this.orphans.delete(info.runId);
      for (const d of held?.output ?? []) tab.write(d);
      if (held && held.output.length > 0) tab.printed = true;
      if (held?.exit) this.finish(tab, held.exit);
    } catch (err) {
      tab.state = 'failed';
      if (err instanceof ApiFailure && err.code === 'not-found' && !tab.once) {
        if (!this.isGone(tab.appId)) this.gone.push(tab.appId);
        tab.error = `${visibleText(tab.appName)} is no longer installed`; // never the app's internal id
      } else {
        tab.error = errorMessage(err);
      }
      status.announce(`${tab.appName} could not start: ${tab.error}`, 'error');
    }
  }

  /** Clears the terminal and runs the same app with the same arguments again. */
  async rerun(tab: RunTab): Promise<void> {
    if (tab.live || tab.once || this.isGone(tab.appId)) return;
    if (tab.runId) {
      this.byRun.delete(tab.runId);
      void request('runs.forget', { runId: tab.runId }).catch(() => undefined);
    }
    tab.runId = null;
    tab.handle?.reset();
    await this.start(tab);
    tab.handle?.focus();
  }

  /** Asks main to stop `tab`'s run; the exit event reports how it ended. */
  async stop(tab: RunTab): Promise<void> {
    if (!tab.runId || tab.state !== 'running') return;
    try {
      await request('runs.stop', { runId: tab.runId });
    } catch (err) {
      // Already ended between the click and the request: the exit event says how.
      if (!(err instanceof Error && 'code' in err && err.code === 'not-running')) status.announce(errorMessage(err), 'error');
    }
  }

  /** Closes `tab`, stopping its run first; shows the neighbouring tab or the catalog. */
  close(tab: RunTab): void {
    void this.stop(tab);
    const i = this.tabs.indexOf(tab);
    if (i < 0) return;
    this.tabs.splice(i, 1);
    if (tab.runId) {
      this.byRun.delete(tab.runId);
      if (tab.live) this.dropped.add(tab.runId);
      // A closed tab does not come back after a reload.
      void request('runs.forget', { runId: tab.runId }).catch(() => undefined);
    }
    if (nav.showing(tab.id)) {
      const next = this.tabs[i] ?? this.tabs[i - 1];
      nav.go(next ? { kind: 'terminal', tabId: next.id } : { kind: 'catalog' });
    }
  }

  /**
   * The pointer is on a Run button of app `appId` (or it has focus): main compiles its module ahead
   * (`runs.warm`), at most once per WARM_AGAIN_MS per app.
   */
  warm(appId: string): void {
    const now = performance.now();
    if (now - (this.warmedAt.get(appId) ?? -Infinity) < WARM_AGAIN_MS) return;
    this.warmedAt.set(appId, now);
    void request('runs.warm', { ref: appId }).catch(() => undefined);
  }

  /** Keystrokes (or sanitised pasted text) for `tab`'s run; none while a permission prompt is open. */
  input(tab: RunTab, data: string): void {
    if (!tab.runId || tab.state !== 'running' || prompts.open) return;
    void request('runs.input', { runId: tab.runId, data }).catch(() => undefined);
  }

  /** The pane changed size. */
  resize(tab: RunTab, cols: number, rows: number): void {
    this.lastSize = { cols, rows };
    if (!tab.runId || tab.state !== 'running') return;
    void request('runs.resize', { runId: tab.runId, cols, rows }).catch(() => undefined);
  }

  private output(e: Events['run.output']): void {
    const now = performance.now();
    if (now - this.flowFrom > QUIET_MS) {
      this.flowFrom = now;
      this.flowBytes = 0;
    }
    this.flowBytes += e.data.length;
    this.outputAt = now;
    const tab = this.byRun.get(e.runId);
    if (tab) {
      tab.printed = true;
      return tab.write(e.data, e.plain === true);
    }
    if (this.dropped.has(e.runId)) return;
    const o = this.orphan(e.runId);
    if (o.output.length < ORPHAN_CHUNKS) o.output.push(e.data);
  }

  private exited(e: RunExit): void {
    const tab = this.byRun.get(e.runId);
    if (tab) return this.finish(tab, e);
    if (this.dropped.delete(e.runId)) return;
    this.orphan(e.runId).exit = e;
  }

  private orphan(runId: string): { output: Uint8Array[]; exit: RunExit | null } {
    let o = this.orphans.get(runId);
    if (!o) {
      // Runs of another window (or tabs already closed) are never claimed; keep only a few.
      if (this.orphans.size >= ORPHAN_LIMIT) this.orphans.delete(this.orphans.keys().next().value!);
      this.orphans.set(runId, (o = { output: [], exit: null }));
    }
    return o;
  }

  private finish(tab: RunTab, e: RunExit): void {
    tab.exit = e;
    tab.state = 'exited';
    if (!nav.showing(tab.id)) status.announce(`${tab.appName} ${e.message}`, e.outcome === 'exit' && e.exitCode === 0 ? 'success' : 'info');
  }
}

export const runs = new Runs();
