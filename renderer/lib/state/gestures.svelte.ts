/**
 * Grants by gesture (DESIGN §5): the person opens a file or a folder with an app — by choosing it
 * ("Open a file with this app…", "Open a folder with this app…") or by dropping it on the app's
 * tile or its page — and the app runs with it. Their own act of choosing is the permission: no
 * prompt follows. A file is passed as an argument and usable by that run only; a folder is for
 * that run, or kept as a permission if the person says "Always".
 *
 * Choosing uses the native dialogs in the desktop app and the in-app browser in web mode. A file
 * dropped in web mode has no host path (the browser hands over bytes, not a location), so the
 * person is asked to choose it in the browser instead.
 */
import { pathForFile, request } from '../api.ts';
import { folderPicker } from './folder-picker.svelte.ts';
import { runs } from './runs.svelte.ts';
import { errorMessage, status } from './status.svelte.ts';
import { system } from './system.svelte.ts';

/** The app a gesture is for. */
export interface GestureApp {
  id: string;
  name: string;
}

/** One question at a time: which file (web mode), or "just this run or always?" for a folder. */
export class Gestures {
  /** The in-app file browser is open to choose a file for `app`; `note` says why, if not obvious. */
  fileFor = $state<{ app: GestureApp; note: string | null } | null>(null);
  /** The folder question is open. */
  folderFor = $state<{ app: GestureApp; path: string } | null>(null);
  /** Files are being dragged over this app's tile or page: a drop opens them with it. */
  target = $state<GestureApp | null>(null);

  /** "Open a file with this app…": choose a file, then run `app` with it. */
  async openFile(app: GestureApp, note: string | null = null): Promise<void> {
    if (!system.native) {
      this.fileFor = { app, note };
      return;
    }
    if (note) status.announce(note, 'info');
    try {
      const p = await request('dialog.chooseFile', {});
      if (p) this.runWithFiles(app, [p]);
    } catch (err) {
      status.announce(errorMessage(err), 'error');
    }
  }

  /** The in-app file browser's answer (null: cancelled). */
  fileChosen(path: string | null): void {
    const f = this.fileFor;
    this.fileFor = null;
    if (f && path) this.runWithFiles(f.app, [path]);
  }

  /** "Open a folder with this app…": choose a folder, then ask whether for this run or always. */
  async openFolder(app: GestureApp): Promise<void> {
    let p: string | null;
    try {
      p = await folderPicker.choose(`Choose a folder to open with ${app.name}`);
    } catch (err) {
      status.announce(errorMessage(err), 'error');
      return;
    }
    if (p) this.folderFor = { app, path: p };
  }

  /** The folder question's answer: for this run (false), kept (true), or cancelled (null). */
  folderAnswered(always: boolean | null): void {
    const f = this.folderFor;
    this.folderFor = null;
    if (f && always !== null) runs.open(f.app, undefined, { folders: [{ path: f.path, always }] });
  }

  /**
   * Something was dropped on `app`'s tile or page: open it with the app. Call from the drop event
   * itself (its items are unreadable once the handler returns).
   */
  drop(app: GestureApp, dt: DataTransfer): void {
    const files = [...dt.files];
    if (files.length === 0) return;
    const entries = [...dt.items].filter((i) => i.kind === 'file').map((i) => i.webkitGetAsEntry?.() ?? null);
    const folder = entries.some((e) => e?.isDirectory);
    const paths = files.map((f) => pathForFile(f));
    const first = files[0]!;

    if (folder) {
      if (files.length > 1) status.announce('Drop one folder at a time', 'info');
      else if (paths[0]) this.folderFor = { app, path: paths[0] };
      else void this.openFolder(app); // the browser hides where it is: the person picks it again
      return;
    }
    if (paths.every((p): p is string => p !== null)) {
      this.runWithFiles(app, paths);
      return;
    }
    if (files.length > 1) status.announce('Choose one file here', 'info');
    void this.openFile(app, `Your browser does not tell Terrarium where “${first.name}” is. Find it here to open it with ${app.name}.`);
  }

  private runWithFiles(app: GestureApp, files: string[]): void {
    runs.open(app, undefined, { files });
  }
}

export const gestures = new Gestures();
