/** The catalog: installed apps as the top bar's search and the sort select ask for them. */
import type { CatalogEntry } from '../../../preload/api.ts';
import { request } from '../api.ts';
import { errorMessage } from './status.svelte.ts';

/** How long after `apps.changed` a catalog not on screen is reloaded (see `Catalog.refreshSoon`). */
const REFRESH_DELAY_MS = 250;

/** How the catalog is ordered. */
export type Sort = 'name' | 'installed' | 'last-run';

/** The catalog's rows and query; `refresh` after anything that may change them. */
export class Catalog {
  apps = $state<CatalogEntry[]>([]);
  search = $state('');
  sort = $state<Sort>('name');
  loaded = $state(false);
  error = $state<string | null>(null);
  private serial = 0;

  /** Reloads with the current search and sort; a slower earlier answer never overwrites a newer one. */
  async refresh(): Promise<void> {
    const mine = ++this.serial;
    try {
      const apps = await request('apps.list', { search: this.search.trim() || undefined, sort: this.sort });
      if (mine !== this.serial) return;
      this.apps = apps;
      this.error = null;
    } catch (err) {
      if (mine === this.serial) this.error = errorMessage(err);
    } finally {
      if (mine === this.serial) this.loaded = true;
    }
  }

  private soon: ReturnType<typeof setTimeout> | undefined;

  /**
   * Reloads a moment later (REFRESH_DELAY_MS, coalesced): for `apps.changed` while the catalog is
   * not on screen. Every run's start sends one, and reloading at once put a request, and then a
   * render of the hidden catalog, between a Run click and the run's first output on screen.
   */
  refreshSoon(): void {
    this.soon ??= setTimeout(() => {
      this.soon = undefined;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  /** The catalog shows again: a reload put off by `refreshSoon` is made now, before anyone acts on it. */
  shown(): void {
    if (this.soon === undefined) return;
    clearTimeout(this.soon);
    this.soon = undefined;
    void this.refresh();
  }

  byId(id: string): CatalogEntry | undefined {
    return this.apps.find((a) => a.id === id);
  }
}

export const catalog = new Catalog();
