/**
 * What the menu's own commands do in the desktop app: Install from File… asks for a `.wasm` with
 * the native dialog and opens its review, as a double-click would; Install from URL… opens the
 * install dialog on its URL tab. Both bring the window up first.
 */
import type { LaunchAction } from './launch-queue.ts';
import type { MenuActions } from './menu.ts';

export interface MenuActionDeps {
  /** The native file dialog. */
  chooseFile(opts: { wasm?: boolean }): Promise<string | null>;
  /** Hands a request to the window (queued until its page has loaded), bringing the window up. */
  launch(request: LaunchAction): void;
}

export function desktopMenuActions(deps: MenuActionDeps): Required<MenuActions> {
  return {
    installFromFile: () => {
      deps
        .chooseFile({ wasm: true })
        .then((file) => {
          if (file !== null) deps.launch({ kind: 'open-file', path: file });
        })
        .catch((err: unknown) => console.error('terrarium: the file dialog failed', err));
    },
    installFromUrl: () => deps.launch({ kind: 'install-url' }),
  };
}
