/**
 * Choosing a host folder: the native dialog in Electron, the in-app browser (rendered by the
 * shell while `open`) in web mode. Either way the person's own choice is the grant's source.
 */
import { request } from '../api.ts';
import { system } from './system.svelte.ts';

/** One question at a time; `choose` resolves to the folder or null when cancelled. */
export class FolderPicker {
  open = $state(false);
  title = $state('Choose a folder');
  private resolve: ((path: string | null) => void) | null = null;

  async choose(title = 'Choose a folder'): Promise<string | null> {
    if (system.native) return request('dialog.chooseFolder', {});
    this.resolve?.(null);
    this.title = title;
    this.open = true;
    return new Promise((resolve) => (this.resolve = resolve));
  }

  /** Called by the in-app browser. */
  answer(path: string | null): void {
    this.open = false;
    const r = this.resolve;
    this.resolve = null;
    r?.(path);
  }
}

export const folderPicker = new FolderPicker();
