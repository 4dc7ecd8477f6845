/** Native dialogs: choose a file or a folder, confirm opening a link in the browser. */
import type { BaseWindow, Dialog, MessageBoxOptions, OpenDialogOptions } from 'electron';

/** The dialogs the shell offers the core and itself. */
export interface NativeDialogs {
  /** A file the person picked (only `.wasm` when `wasm`), or null when cancelled. */
  chooseFile(opts: { wasm?: boolean }): Promise<string | null>;
  /** A folder the person picked, or null when cancelled. */
  chooseFolder(): Promise<string | null>;
  /** Whether the person agreed to open `url` (already vetted) in their browser. */
  confirmOpenExternal(url: string): Promise<boolean>;
}

/** Dialogs over Electron's `dialog`, attached to the window `parent` returns when there is one. */
export function createDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showMessageBox'>, parent: () => BaseWindow | null): NativeDialogs {
  const open = async (options: OpenDialogOptions): Promise<string | null> => {
    const win = parent();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  const ask = async (options: MessageBoxOptions): Promise<number> => {
    const win = parent();
    return (win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)).response;
  };
  return {
    chooseFile: ({ wasm }) =>
      open({
        title: wasm ? 'Choose a WebAssembly module' : 'Choose a file',
        properties: ['openFile'],
        filters: wasm ? [{ name: 'WebAssembly modules', extensions: ['wasm'] }] : [],
      }),
    chooseFolder: () => open({ title: 'Choose a folder', properties: ['openDirectory', 'createDirectory'] }),
    confirmOpenExternal: async (url) =>
      (await ask({
        type: 'question',
        title: 'Open link',
        message: 'Open this link in your web browser?',
        detail: url,
        buttons: ['Open in Browser', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      })) === 0,
  };
}
