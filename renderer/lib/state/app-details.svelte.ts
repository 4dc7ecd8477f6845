/** One app page's data: the app, its grants, builds, run history and audit log, kept fresh on apps.changed. */
import type { AppDetails, GrantInput } from '../../../preload/api.ts';
import { ApiFailure, on, request } from '../api.ts';
import { errorMessage, status } from './status.svelte.ts';

/** Loads and edits one app; `dispose` when the page goes away. */
export class AppDetailsState {
  readonly appId: string;
  details = $state<AppDetails | null>(null);
  error = $state<string | null>(null);
  /** The app was uninstalled (here or elsewhere). */
  gone = $state(false);
  busy = $state(false);
  private serial = 0;
  private readonly off: () => void;

  constructor(appId: string) {
    this.appId = appId;
    this.off = on('apps.changed', (e) => {
      if (e.appId === null || e.appId === appId) void this.load();
    });
    void this.load();
  }

  dispose(): void {
    this.off();
  }

  async load(): Promise<void> {
    const mine = ++this.serial;
    try {
      const d = await request('apps.get', { ref: this.appId });
      if (mine !== this.serial) return;
      this.details = d;
      this.error = null;
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
    return this.mutate(async () => {
      await request('grants.revoke', { ref: this.appId, ids });
    }, done);
  }

  async reset(): Promise<boolean> {
    return this.mutate(async () => {
      await request('grants.reset', { ref: this.appId });
    }, 'All permissions removed');
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
