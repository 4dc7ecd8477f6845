/** The window factory and the native dialogs, against fakes of BrowserWindow, nativeTheme and dialog. */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { BaseWindow, BrowserWindowConstructorOptions, Dialog } from 'electron';
import { createDialogs } from '../../main/desktop/dialogs.ts';
import { webPreferences } from '../../main/desktop/security.ts';
import { createMainWindow, WINDOW_BACKGROUND, type WindowDeps, type WindowLike, windowOptions } from '../../main/desktop/window.ts';

class FakeWindow extends EventEmitter {
  shown = 0;
  background = '';
  loaded: string[] = [];
  destroyed = false;
  readonly options: BrowserWindowConstructorOptions;
  constructor(options: BrowserWindowConstructorOptions) {
    super();
    this.options = options;
  }
  show() {
    this.shown++;
  }
  setBackgroundColor(c: string) {
    this.background = c;
  }
  async loadURL(url: string) {
    this.loaded.push(url);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

class FakeTheme extends EventEmitter {
  shouldUseDarkColors = false;
}

function open(dark = false) {
  const nativeTheme = new FakeTheme();
  nativeTheme.shouldUseDarkColors = dark;
  const win = createMainWindow<WindowLike & FakeWindow>({
    create: (o) => new FakeWindow(o) as unknown as WindowLike & FakeWindow,
    nativeTheme: nativeTheme as unknown as WindowDeps<WindowLike>['nativeTheme'],
    preloadPath: '/p/index.cjs',
  });
  return { win, nativeTheme };
}

describe('windowOptions', () => {
  it('is titled Terrarium, has a minimum size, starts hidden and uses the secure webPreferences', () => {
    const o = windowOptions('/p/index.cjs', false);
    expect(o).toMatchObject({ title: 'Terrarium', show: false, minWidth: 720, minHeight: 480 });
    expect(o.width).toBeGreaterThanOrEqual(o.minWidth ?? 0);
    expect(o.webPreferences).toEqual(webPreferences('/p/index.cjs'));
  });

  it('takes its background from the OS theme', () => {
    expect(windowOptions('/p', true).backgroundColor).toBe(WINDOW_BACKGROUND.dark);
    expect(windowOptions('/p', false).backgroundColor).toBe(WINDOW_BACKGROUND.light);
  });
});

describe('createMainWindow', () => {
  it("loads the app's page from app://terrarium and shows once ready", () => {
    const { win } = open();
    expect(win.loaded).toEqual(['app://terrarium/index.html']);
    expect(win.shown).toBe(0);
    win.emit('ready-to-show');
    win.emit('ready-to-show');
    expect(win.shown).toBe(1);
  });

  it('follows the OS theme while open, and stops listening once closed', () => {
    const { win, nativeTheme } = open(true);
    expect(win.options.backgroundColor).toBe(WINDOW_BACKGROUND.dark);
    nativeTheme.shouldUseDarkColors = false;
    nativeTheme.emit('updated');
    expect(win.background).toBe(WINDOW_BACKGROUND.light);
    win.emit('closed');
    expect(nativeTheme.listenerCount('updated')).toBe(0);
  });
});

describe('createDialogs', () => {
  const fakeDialog = (filePaths: string[], canceled = false, response = 0) => ({
    showOpenDialog: vi.fn(async () => ({ canceled, filePaths })),
    showMessageBox: vi.fn(async () => ({ response, checkboxChecked: false })),
  });
  const parent = {} as BaseWindow;

  it('chooses a .wasm file, attached to the window', async () => {
    const dialog = fakeDialog(['/home/me/hello.wasm']);
    const dialogs = createDialogs(dialog as unknown as Dialog, () => parent);
    expect(await dialogs.chooseFile({ wasm: true })).toBe('/home/me/hello.wasm');
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(parent, expect.objectContaining({
      properties: ['openFile'],
      filters: [{ name: 'WebAssembly modules', extensions: ['wasm'] }],
    }));
  });

  it('chooses a folder, and says null when cancelled', async () => {
    const dialog = fakeDialog(['/home/me/photos']);
    expect(await createDialogs(dialog as unknown as Dialog, () => null).chooseFolder()).toBe('/home/me/photos');
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(expect.objectContaining({ properties: expect.arrayContaining(['openDirectory']) }));
    expect(await createDialogs(fakeDialog([], true) as unknown as Dialog, () => null).chooseFolder()).toBeNull();
    expect(await createDialogs(fakeDialog([], false) as unknown as Dialog, () => null).chooseFile({})).toBeNull();
  });

  it('asks before opening a link, with Cancel as the default', async () => {
    const yes = fakeDialog([], false, 0);
    expect(await createDialogs(yes as unknown as Dialog, () => parent).confirmOpenExternal('https://example.org/')).toBe(true);
    expect(yes.showMessageBox).toHaveBeenCalledWith(parent, expect.objectContaining({ detail: 'https://example.org/', defaultId: 1, cancelId: 1 }));
    const no = fakeDialog([], false, 1);
    expect(await createDialogs(no as unknown as Dialog, () => parent).confirmOpenExternal('https://example.org/')).toBe(false);
  });
});
