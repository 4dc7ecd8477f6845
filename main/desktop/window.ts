/** The one Terrarium window: its options, and a factory that shows it once it has painted. */
import type { BrowserWindow, BrowserWindowConstructorOptions, NativeTheme } from 'electron';
import { APP_ENTRY_URL } from './app-origin.ts';
import { webPreferences } from './security.ts';

/** Window backgrounds before the renderer paints; they match `--bg` in renderer/lib/styles/theme.css. */
export const WINDOW_BACKGROUND = { light: '#f6f7f6', dark: '#141816' } as const;

/** The window's options: title, size, hidden until ready, background for the OS theme, secure webPreferences. */
export function windowOptions(preloadPath: string, dark: boolean): BrowserWindowConstructorOptions {
  return {
    title: 'Terrarium',
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    backgroundColor: dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    webPreferences: webPreferences(preloadPath),
  };
}

/** The part of a BrowserWindow the factory drives. */
export type WindowLike = Pick<BrowserWindow, 'once' | 'on' | 'show' | 'setBackgroundColor' | 'loadURL' | 'isDestroyed'>;

/** What the factory needs from Electron. */
export interface WindowDeps<W extends WindowLike> {
  /** `(options) => new BrowserWindow(options)`. */
  create: (options: BrowserWindowConstructorOptions) => W;
  nativeTheme: Pick<NativeTheme, 'shouldUseDarkColors' | 'on' | 'removeListener'>;
  preloadPath: string;
}

/**
 * Creates the window and loads the app's page from `app://terrarium/`. The window appears once the
 * page has painted, and its background follows the OS theme while it is open.
 */
export function createMainWindow<W extends WindowLike>(deps: WindowDeps<W>): W {
  const { nativeTheme } = deps;
  const win = deps.create(windowOptions(deps.preloadPath, nativeTheme.shouldUseDarkColors));
  win.once('ready-to-show', () => win.show());
  const onTheme = (): void => {
    if (!win.isDestroyed()) win.setBackgroundColor(nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light);
  };
  nativeTheme.on('updated', onTheme);
  win.on('closed', () => nativeTheme.removeListener('updated', onTheme));
  win.loadURL(APP_ENTRY_URL).catch((err: unknown) => console.error('terrarium: the window could not load its page', err));
  return win;
}
