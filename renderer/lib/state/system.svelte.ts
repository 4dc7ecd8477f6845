/** What the renderer knows about where it runs (Electron or web mode, the home folder). */
import type { RequestResult } from '../../../preload/api.ts';
import { request } from '../api.ts';

type Info = RequestResult<'system.info'>;

/** Filled once at start-up. */
export class SystemInfo {
  info = $state<Info | null>(null);

  /** Electron has native dialogs; web mode uses the in-app browser. */
  get native(): boolean {
    return this.info?.transport === 'electron';
  }

  get home(): string {
    return this.info?.home ?? '/';
  }

  async load(): Promise<void> {
    this.info = await request('system.info', {});
  }
}

export const system = new SystemInfo();
