/** The catalog: installed apps as the top bar's search and the sort select ask for them. */
import type { CatalogEntry } from '../../../preload/api.ts';
import { request } from '../api.ts';
import { errorMessage } from './status.svelte.ts';

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

  byId(id: string): CatalogEntry | undefined {
    return this.apps.find((a) => a.id === id);
  }
}

export const catalog = new Catalog();
