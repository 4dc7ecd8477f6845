/**
 * The Electron shell (DESIGN §7, §8): single instance, the `app://` protocol, permission and
 * navigation guards on everything, one window, the menu, and the contract over IPC. Each piece is
 * built and tested in its own module; this file only hands Electron's objects to them, and is the
 * one file of main/ that imports Electron at runtime.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell } from 'electron';
import type { WebContents } from 'electron';
import type { Api, Dialogs } from '../api/index.ts';
import { asLaunchRequest, parseLaunchArgs } from '../integration/launch-args.ts';
import { type Integration, createIntegration } from '../integration/service.ts';
import { desktopHost, shortcutIo } from './integration-host.ts';
import { withWindowDisabledFeatures } from '../shared/window-switches.ts';
import { APP_ORIGIN } from './app-origin.ts';
import { createDialogs } from './dialogs.ts';
import { forwardEvents, registerApi } from './ipc-router.ts';
import { type LaunchAction, createLaunchQueue } from './launch-queue.ts';
import { type MenuActions, menuTemplate } from './menu.ts';
import { desktopMenuActions } from './menu-actions.ts';
import { installQuitGuard } from './quit.ts';
import { installAppProtocol, registerAppScheme } from './protocol.ts';
import { createExternalOpener, installNavigationGuards, installPermissionHandlers, isTrustedSender } from './security.ts';
import { createMainWindow } from './window.ts';

/** The core's factory, as main/api exports it. */
export type CreateApi = (options: { transport: 'electron'; dialogs: Dialogs; integration?: Integration; integrationUnavailable?: string }) => Api;

/**
 * Why a development build makes no shortcuts or commands: under `npm start` Terrarium is the bare
 * Electron binary plus the source folder, and its icon and `terrarium` launcher exist only in a
 * package, so what it wrote would start Electron's default app and show no icon.
 */
export const DEVELOPMENT_INTEGRATION =
  'This is a development build (npm start): shortcuts and commands made from it would start Electron without Terrarium. Build and install a package (npm run dist) to add them.';

/** Where things are and what the menu does; the defaults suit `electron .` and a packaged app. */
export interface DesktopOptions {
  /** The built renderer (default `<app>/out/renderer`). */
  rendererDir?: string;
  /** The built, CommonJS preload: sandboxed preloads cannot be ES modules (default `<app>/out/preload/index.cjs`). */
  preloadPath?: string;
  /** The menu's own commands, given the window (default: the native file dialog, the URL tab); commands left out are shown disabled. */
  menuActions?: (window: () => BrowserWindow | null) => MenuActions;
  platform?: NodeJS.Platform;
  /**
   * Where a launch request (a `.wasm` to open, `--run APP`) goes once the window's page has loaded:
   * from the first launch's arguments, a second instance's, or macOS's `open-file`. By default it
   * is handed to the window as a `shell.command` event.
   */
  onLaunchRequest?: (request: LaunchAction, window: BrowserWindow) => void;
  /** This launch's arguments (default `process.argv`; `process.defaultApp` says whether the second is the app's folder). */
  argv?: readonly string[];
}

/** Shortcuts and commands for this desktop, or none where the platform or host cannot have them. */
function makeIntegration(platform: NodeJS.Platform): Integration | undefined {
  if (platform !== 'linux' && platform !== 'darwin' && platform !== 'win32') return undefined;
  try {
    return createIntegration(
      desktopHost({ app, platform, env: process.env, execPath: process.execPath, resourcesPath: process.resourcesPath }),
      shortcutIo(shell),
    );
  } catch {
    return undefined; // e.g. no home folder: the app works, only "Add to desktop" is unavailable
  }
}

/**
 * Starts the desktop app around the core `createApi` builds. Quits at once when another instance
 * holds the lock (that instance's window is brought to the front instead).
 */
export function startDesktop(createApi: CreateApi, options: DesktopOptions = {}): void {
  const platform = options.platform ?? process.platform;
  const skip = process.defaultApp ? 2 : 1;
  const launch = parseLaunchArgs(options.argv ?? process.argv, platform, { skip, cwd: process.cwd() });
  app.enableSandbox();
  // Before ready, as every Chromium switch: the page's messages are not held after a click (main/shared/window-switches.ts).
  app.commandLine.appendSwitch('disable-features', withWindowDisabledFeatures(app.commandLine.getSwitchValue('disable-features')));
  registerAppScheme(protocol);
  // The request goes along, whole, to the running instance: Chromium may reorder the argv it forwards.
  if (!app.requestSingleInstanceLock(launch)) {
    app.quit();
    return;
  }

  let win: BrowserWindow | null = null;
  let api: Api | null = null;
  const launches = createLaunchQueue();
  launches.push(launch);
  const dialogs = createDialogs(dialog, () => win);
  const openExternal = createExternalOpener(dialogs.confirmOpenExternal, (url) => shell.openExternal(url));
  const isOwnContents = (sender: WebContents): boolean => win !== null && !win.isDestroyed() && sender.id === win.webContents.id;

  const openWindow = (core: Api): void => {
    const appPath = app.getAppPath();
    const preloadPath = options.preloadPath ?? path.join(appPath, 'out', 'preload', 'index.cjs');
    const created = createMainWindow({ create: (o) => new BrowserWindow(o), nativeTheme, preloadPath });
    win = created;
    forwardEvents((listener) => core.onEvent(listener), created.webContents);
    const deliver = options.onLaunchRequest ?? ((request: LaunchAction) => core.shellCommand(request));
    created.webContents.once('did-finish-load', () => launches.attach((request) => deliver(request, created)));
    created.on('closed', () => {
      launches.detach();
      if (win === created) win = null;
    });
  };
  /** Brings the window up for a request (opening one again on macOS, where the app outlives it). */
  const showWindow = (): void => {
    if (win === null || win.isDestroyed()) {
      if (api !== null) openWindow(api);
      return;
    }
    if (win.isMinimized()) win.restore();
    win.focus();
  };

  app.on('web-contents-created', (_event, contents) => installNavigationGuards(contents, openExternal));
  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    launches.push(asLaunchRequest(additionalData) ?? parseLaunchArgs(argv, platform, { skip, cwd: workingDirectory }));
    showWindow();
  });
  // macOS opens files by event, not argument, and may do so before the app is ready.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    launches.push({ kind: 'open-file', path: file });
    showWindow();
  });
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (api !== null && BrowserWindow.getAllWindows().length === 0) openWindow(api);
  });
  installQuitGuard(app, () => api?.close() ?? null);

  app
    .whenReady()
    .then(() => {
      const rendererDir = options.rendererDir ?? path.join(app.getAppPath(), 'out', 'renderer');
      installPermissionHandlers(session.defaultSession);
      installAppProtocol(protocol, rendererDir);
      app.setAboutPanelOptions({ applicationName: 'Terrarium', applicationVersion: app.getVersion() });
      const integration = app.isPackaged ? makeIntegration(platform) : undefined;
      const core = createApi({
        transport: 'electron',
        dialogs: { chooseFile: dialogs.chooseFile, chooseFolder: dialogs.chooseFolder },
        ...(integration ? { integration } : {}),
        ...(app.isPackaged ? {} : { integrationUnavailable: DEVELOPMENT_INTEGRATION }),
      });
      api = core;
      registerApi(ipcMain, (name, args) => core.handle(name, args), (event) => isTrustedSender(event, APP_ORIGIN, isOwnContents));
      const launch = (request: LaunchAction): void => {
        launches.push(request);
        showWindow();
      };
      const actions = options.menuActions?.(() => win) ?? desktopMenuActions({ chooseFile: dialogs.chooseFile, launch });
      Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ dev: !app.isPackaged, platform, actions })));
      openWindow(core);
    })
    .catch((err: unknown) => {
      dialog.showErrorBox('Terrarium could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
}
