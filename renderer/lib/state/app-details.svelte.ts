/** One app page's data: the app, its grants, builds, run history and audit log, kept fresh on apps.changed. */
import type { AppDetails, GrantInput } from '../../../preload/api.ts';
import { ApiFailure, on, request } from '../api.ts';
import { runs } from './runs.svelte.ts';
import { errorMessage, status } from './status.svelte.ts';

/** How long an `apps.get` asked for ahead waits for the page that takes it. */
const AHEAD_MS = 2000;
/** An app's details asked for ahead of its page (see `askAhead`), until a page takes them or they go stale. */
let ahead: Ahead | null = null;
/** `value` is the answer once it is here. */
interface Ahead { appId: string; at: number; reply: Promise<AppDetails>; value: AppDetails | null; off: () => void }

function dropAhead(): void {
  ahead?.off();
  ahead = null;
}

/**
 * Asks main for app `appId`'s details ahead of its page (the Details button rested on by the pointer
 * (`pointerOnDetails`) or reached by the keyboard, and its pointerdown; issue 14.5): the page that opens at the click takes the
 * answer instead of asking only once it is mounted, and when it is already here the click renders
 * the whole page in its own task (no "Loading…" first). Read-only; one app at a time; asked once
 * while fresh; dropped unused after a moment, and dropped if the app changes meanwhile (the page
 * then asks afresh, as it would have).
 */
export function askAhead(appId: string): void {
  if (ahead && ahead.appId === appId && performance.now() - ahead.at < AHEAD_MS / 2) return;
  dropAhead();
  const reply = request('apps.get', { ref: appId });
  const off = on('apps.changed', (e) => {
    if (e.appId === null || e.appId === appId) dropAhead();
  });
  const entry: Ahead = { appId, at: performance.now(), reply, value: null, off };
  // A failed answer is not kept: the next press, or the page, asks afresh (a page that took it
  // already shows the failure, as it would its own request's).
  reply.then((d) => (entry.value = d), () => ahead === entry && dropAhead());
  ahead = entry;
}

/**
 * How long the pointer rests on a Details button before its app is asked for: a pointer passing
 * over the catalog's tiles on its way elsewhere asks for none of them (one `apps.get` per button
 * crossed, before), and a person's press comes well after it (its pointerdown asks at once anyway).
 */
const REST_MS = 40;
/** The Details button the pointer is on, until it has rested there REST_MS. */
let resting: ReturnType<typeof setTimeout> | null = null;

/** The pointer reached app `appId`'s Details button: its details are asked for once it rests there. */
export function pointerOnDetails(appId: string): void {
  pointerOffDetails();
  resting = setTimeout(() => {
    resting = null;
    askAhead(appId);
  }, REST_MS);
}

/** The pointer left a Details button (or pressed it: the press asks by itself). */
export function pointerOffDetails(): void {
  if (resting !== null) clearTimeout(resting);
  resting = null;
}

/** The details of app `appId` asked for ahead, if fresh; taken once. */
function takeAhead(appId: string): Ahead | null {
  const a = ahead;
  dropAhead();
  return a && a.appId === appId && performance.now() - a.at < AHEAD_MS ? a : null;
}

/** Loads and edits one app; `dispose` when the page goes away. */
export class AppDetailsState {
  readonly appId: string;
  details = $state<AppDetails | null>(null);
  error = $state<string | null>(null);
  /** The app was uninstalled (here or elsewhere). */
  gone = $state(false);
  busy = $state(false);
  /**
   * A folder grant was removed (or all were reset) while the app ran: its runs lose access at
   * their next attempt, and the page offers to stop them (DESIGN §5). Cleared when they end.
   */
  revokedWhileRunning = $state(false);
  private serial = 0;
  private readonly off: () => void;

  /** `given`: details already at hand (the idle warm-up, components/app/page-warmup.ts): no request, no listener. */
  constructor(appId: string, given?: AppDetails) {
    this.appId = appId;
    if (given) {
      this.details = given;
      this.off = () => undefined;
      return;
    }
    this.off = on('apps.changed', (e) => {
      if (e.appId === null || e.appId === appId) void this.load();
    });
    const early = takeAhead(appId);
    // Already answered: the page's first render is the whole page, not "Loading…" then the page.
    if (early?.value) this.details = early.value;
    else void this.load(early?.reply ?? null);
  }

  dispose(): void {
    this.off();
  }

  /** Loads the app's details (`early`: an answer already asked for, see `askAhead`). */
  async load(early: Promise<AppDetails> | null = null): Promise<void> {
    const mine = ++this.serial;
    try {
      const d = await (early ?? request('apps.get', { ref: this.appId }));
      if (mine !== this.serial) return;
      this.details = d;
      this.error = null;
      if (d.running === 0) this.revokedWhileRunning = false;
    } catch (err) {
      if (mine !== this.serial) return;
      if (err instanceof ApiFailure && err.code === 'not-found') this.gone = true;
      else this.error = errorMessage(err);
    }
  }

  /** Adds or replaces grants; returns whether it worked (failures are announced). */
  async grant(grants: GrantInput[], done?: string): Promise<boolean> {
    return this.mutate(async () => {
      await request('grants.add', { ref: this.appId, grants });
    }, done);
  }

  async revoke(ids: number[], done?: string): Promise<boolean> {
    // Folders are what a running app loses at its next access; other grants applied at its start.
    const running = this.running && this.foldersAmong(ids);
    const ok = await this.mutate(async () => {
      await request('grants.revoke', { ref: this.appId, ids });
    }, running ? undefined : done);
    if (ok && running) this.revokedLive();
    return ok;
  }

  async reset(): Promise<boolean> {
    const running = this.running && this.foldersAmong(this.details?.grants.map((g) => g.id) ?? []);
    const ok = await this.mutate(async () => {
      await request('grants.reset', { ref: this.appId });
    }, running ? undefined : 'All permissions removed');
    if (ok && running) this.revokedLive();
    return ok;
  }

  /** What the revocation notice says (also read out when it appears). */
  get revokedText(): string {
    return `Removed. ${this.details?.app.name ?? 'The app'} is still running: it loses access at its next attempt.`;
  }

  /** Stops every run of the app (the revocation notice's "Stop it now"). */
  async stopRuns(): Promise<void> {
    const name = this.details?.app.name ?? 'the app';
    try {
      const n = await runs.stopApp(this.appId);
      this.revokedWhileRunning = false;
      status.announce(n === 0 ? `${name} had already stopped` : `Stopped ${name}`, 'success');
    } catch (err) {
      status.announce(`Could not stop ${name}: ${errorMessage(err)}`, 'error');
    }
  }

  /** Forgets a "deny always": the app is asked about `path` again. */
  async forgetDenial(path: string): Promise<boolean> {
    return this.mutate(async () => {
      await request('denials.remove', { ref: this.appId, path });
    }, `${this.details?.app.name ?? 'The app'} will ask about ${path} again`);
  }

  private foldersAmong(ids: readonly number[]): boolean {
    return (this.details?.grants ?? []).some((g) => g.kind === 'folder' && ids.includes(g.id));
  }

  private get running(): boolean {
    return (this.details?.running ?? 0) > 0;
  }

  private revokedLive(): void {
    if (!this.running) return; // it ended meanwhile: nothing to offer
    this.revokedWhileRunning = true;
    // The notice shows next to the permissions; the live region only reads it out.
    status.announce(this.revokedText, 'info', { visible: false });
  }

  /** What happens when the app touches something outside its grants: ask the person, or deny. */
  async setUnknownAccess(mode: 'ask' | 'deny'): Promise<boolean> {
    return this.mutate(async () => {
      await request('apps.setUnknownAccess', { ref: this.appId, mode });
    }, mode === 'ask' ? 'You will be asked about anything outside its permissions' : 'Anything outside its permissions is now denied without asking');
  }

  async uninstall(): Promise<boolean> {
    return this.mutate(async () => {
      await request('apps.uninstall', { ref: this.appId });
    });
  }

  private async mutate(fn: () => Promise<void>, done?: string): Promise<boolean> {
    this.busy = true;
    try {
      await fn();
      if (done) status.announce(done, 'success');
      await this.load();
      return true;
    } catch (err) {
      status.announce(errorMessage(err), 'error');
      return false;
    } finally {
      this.busy = false;
    }
  }
}
