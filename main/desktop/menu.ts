/** The application menu as a pure template (Menu.buildFromTemplate turns it into a menu). */
import type { MenuItemConstructorOptions } from 'electron';

/** What the menu's own commands do; a command without an action is shown disabled. */
export interface MenuActions {
  installFromFile?: () => void;
  installFromUrl?: () => void;
}

/** How the menu is built. */
export interface MenuOptions {
  /** Development build: adds reload and developer tools, which production never has. */
  dev: boolean;
  platform: NodeJS.Platform;
  actions: MenuActions;
}

/**
 * File (install from file or URL, quit), Edit (standard roles), View (zoom, full screen; reload and
 * developer tools only in development), Help (about). On macOS the app menu holds About and Quit,
 * and a Window menu is added, as that platform expects.
 */
export function menuTemplate({ dev, platform, actions }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  // `&` marks the Alt-key mnemonic on Windows and Linux; macOS menus have none.
  const title = (label: string): string => (mac ? label.replace('&', '') : label);
  const command = (label: string, accelerator: string, action: (() => void) | undefined): MenuItemConstructorOptions => ({
    label,
    accelerator,
    enabled: action !== undefined,
    click: () => action?.(),
  });
  const file: MenuItemConstructorOptions = {
    label: title('&File'),
    submenu: [
      command('Install from File…', 'CmdOrCtrl+O', actions.installFromFile),
      command('Install from URL…', 'CmdOrCtrl+Shift+O', actions.installFromUrl),
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: title('&Edit'),
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  };
  const developer: MenuItemConstructorOptions[] = dev
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  const view: MenuItemConstructorOptions = {
    label: title('&View'),
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = { label: title('&Help'), role: 'help', submenu: [{ role: 'about', label: 'About Terrarium' }] };
  if (mac) return [{ role: 'appMenu' }, file, edit, view, { role: 'windowMenu' }, help];
  return [file, edit, view, help];
}
