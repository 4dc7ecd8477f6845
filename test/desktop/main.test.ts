/**
 * The shell's wiring (main/desktop/main.ts) against a fake `electron` module: what is installed
 * before and after ready, on which objects, and what the app does on its lifecycle events.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { Api } from '../../main/api/index.ts';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from '../../preload/api.ts';
import { FakeWebContents, fakeEvent, fakeFrame, ipcEvent, FakeBrowserWindow, electronModule, fakeElectron } from '../helpers/electron-fake.ts';



vi.mock('electron', async () => (await import('../helpers/electron-fake.ts')).fakeElectronModule());

const { startDesktop } = await import('../../main/desktop/main.ts');

function fakeApi() {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const api = {
    handle: vi.fn(async (name: string, args: unknown) => ({ ok: true as const, value: { name, args } })),
    onEvent: vi.fn((l: (name: string, payload: unknown) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    }),
    setOutputGate: vi.fn(),
    shellCommand: vi.fn(),
    close: vi.fn(async () => {}),
    emit: (name: string, payload: unknown) => {
      for (const l of listeners) l(name, payload);
    },
  };
  return api;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

async function start(opts: { lock?: boolean; platform?: NodeJS.Platform; dev?: boolean } = {}) {
  const electron = fakeElectron(opts.lock ?? true);
  electron.app.isPackaged = !opts.dev;
  electronModule.current = electron;
  const api = fakeApi();
  const createApi = vi.fn(() => api as unknown as Api);
  startDesktop(createApi, { platform: opts.platform ?? 'linux' });
  return { electron, api, createApi };
}

async function started(opts: { platform?: NodeJS.Platform; dev?: boolean } = {}) {
  const s = await start(opts);
  s.electron.ready();
  await flush();
  const win = FakeBrowserWindow.all.at(-1);
  if (!win) throw new Error('no window');
  return { ...s, win };
}

beforeEach(() => {
  FakeBrowserWindow.all = [];
});

describe('startDesktop', () => {
  it('quits at once when another instance holds the lock, having opened nothing', async () => {
    const { electron, createApi } = await start({ lock: false });
    expect(electron.app.quit).toHaveBeenCalledOnce();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
    expect(electron.app.listenerCount('web-contents-created')).toBe(0);
    expect(createApi).not.toHaveBeenCalled();
  });

  it('sandboxes every renderer, keeps a click from holding the page’s messages, and registers the app scheme before ready', async () => {
    const { electron } = await start();
    expect(electron.log).toEqual(['enableSandbox', 'appendSwitch disable-features=Vulkan,DeferRendererTasksAfterInput', 'registerSchemesAsPrivileged']);
    expect(electron.protocol.handle).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.all).toEqual([]);
  });

  it('on ready: denies permissions, serves app://, registers IPC and opens one secure window', async () => {
    const { electron, createApi, win } = await started();
    expect(electron.session.defaultSession.requestHandler).not.toBeNull();
    expect(electron.session.defaultSession.checkHandler?.()).toBe(false);
    expect(electron.protocol.handle).toHaveBeenCalledExactlyOnceWith('app', expect.any(Function));
    expect([...electron.ipcMain.handlers.keys()]).toEqual([REQUEST_CHANNEL]);
    expect(createApi).toHaveBeenCalledExactlyOnceWith({ transport: 'electron', dialogs: { chooseFile: expect.any(Function), chooseFolder: expect.any(Function) } });
    expect(FakeBrowserWindow.all).toHaveLength(1);
    expect(win.options).toMatchObject({
      title: 'Terrarium',
      show: false,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: '/opt/terrarium/resources/app.asar/out/preload/index.cjs' },
    });
    expect(win.loaded).toEqual(['app://terrarium/index.html']);
  });

  it('builds a production menu without developer items when packaged', async () => {
    const { electron } = await started();
    const template = electron.Menu.setApplicationMenu.mock.calls[0]?.[0] as MenuItemConstructorOptions[];
    expect(JSON.stringify(template)).not.toMatch(/toggleDevTools|"reload"/);
    const dev = await started({ dev: true });
    expect(JSON.stringify(dev.electron.Menu.setApplicationMenu.mock.calls[0]?.[0])).toMatch(/toggleDevTools/);
  });

  it("forwards requests from the window's main frame, and refuses the same page elsewhere", async () => {
    const { electron, api, win } = await started();
    const frame = fakeFrame('app://terrarium/index.html');
    const ok = await electron.ipcMain.invoke(REQUEST_CHANNEL, ipcEvent(win.webContents, frame), 'apps.list', { search: 'x' });
    expect(ok).toEqual({ ok: true, value: { name: 'apps.list', args: { search: 'x' } } });
    const stranger = new FakeWebContents();
    expect(await electron.ipcMain.invoke(REQUEST_CHANNEL, ipcEvent(stranger, frame), 'apps.list', {})).toMatchObject({ code: 'forbidden' });
    const sub = fakeFrame('app://terrarium/index.html', frame);
    expect(await electron.ipcMain.invoke(REQUEST_CHANNEL, ipcEvent(win.webContents, sub), 'apps.list', {})).toMatchObject({ code: 'forbidden' });
    expect(api.handle).toHaveBeenCalledOnce();
  });

  it('sends the core’s events to the window', async () => {
    const { api, win } = await started();
    api.emit('apps.changed', { appId: 'a1' });
    expect(win.webContents.sent).toEqual([{ channel: EVENT_CHANNEL, args: [{ name: 'apps.changed', payload: { appId: 'a1' } }] }]);
  });

  it('guards every WebContents that is ever created', async () => {
    const { electron } = await started();
    const contents = new FakeWebContents();
    electron.app.emit('web-contents-created', {}, contents);
    expect(contents.navigate('will-navigate', 'https://evil.example/').defaultPrevented).toBe(true);
    expect(contents.navigate('will-navigate', 'file:///etc/passwd').defaultPrevented).toBe(true);
    expect(contents.navigate('will-navigate', 'app://terrarium/index.html').defaultPrevented).toBe(false);
    expect(contents.openWindow('https://example.org/')).toEqual({ action: 'deny' });
  });

  it('asks before opening a link in the browser, and opens it only on yes', async () => {
    const { electron } = await started();
    const contents = new FakeWebContents();
    electron.app.emit('web-contents-created', {}, contents);
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 1 }).mockResolvedValueOnce({ response: 0 });
    contents.openWindow('https://example.org/no');
    await flush();
    contents.openWindow('https://example.org/yes');
    await flush();
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(2);
    expect(electron.shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://example.org/yes');
  });

  it('quits when the last window closes, except on macOS', async () => {
    const linux = await started({ platform: 'linux' });
    linux.win.close();
    linux.electron.app.emit('window-all-closed');
    expect(linux.electron.app.quit).toHaveBeenCalledOnce();

    const mac = await started({ platform: 'darwin' });
    mac.win.close();
    mac.electron.app.emit('window-all-closed');
    expect(mac.electron.app.quit).not.toHaveBeenCalled();
    mac.electron.app.emit('activate');
    expect(FakeBrowserWindow.getAllWindows()).toHaveLength(1);
  });

  it('brings the window back when a second instance starts', async () => {
    const { electron, win } = await started();
    win.minimized = true;
    electron.app.emit('second-instance', {}, ['terrarium'], '/');
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(1);
  });

  it('holds the quit until the core has closed, then quits', async () => {
    const { electron, api } = await started();
    let finish: () => void = () => {};
    api.close.mockImplementationOnce(() => new Promise<void>((r) => (finish = r)));
    const quit = fakeEvent('');
    electron.app.emit('will-quit', quit);
    expect(quit.defaultPrevented).toBe(true);
    await flush();
    expect(api.close).toHaveBeenCalledOnce();
    expect(electron.app.quit).not.toHaveBeenCalled();
    finish();
    await flush();
    expect(electron.app.quit).toHaveBeenCalledOnce();
    const again = fakeEvent('');
    electron.app.emit('will-quit', again);
    expect(again.defaultPrevented).toBe(false);
    expect(api.close).toHaveBeenCalledOnce();
  });

  it('wires every menu command: each is enabled and reaches its action', async () => {
    const { electron, api, win } = await started();
    win.webContents.emit('did-finish-load');
    const template = electron.Menu.setApplicationMenu.mock.calls[0]?.[0] as MenuItemConstructorOptions[];
    const items = (function flat(list: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
      return list.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])]);
    })(template);
    expect(items.filter((i) => i.enabled === false)).toEqual([]);
    const byLabel = (label: string) => items.find((i) => i.label === label)!;
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/ada/tool.wasm'] });
    (byLabel('Install from File…').click as () => void)();
    await flush();
    expect(electron.dialog.showOpenDialog).toHaveBeenCalledWith(win, expect.objectContaining({ filters: [{ name: 'WebAssembly modules', extensions: ['wasm'] }] }));
    expect(api.shellCommand).toHaveBeenLastCalledWith({ kind: 'open-file', path: '/home/ada/tool.wasm' });
    (byLabel('Install from URL…').click as () => void)();
    expect(api.shellCommand).toHaveBeenLastCalledWith({ kind: 'install-url' });
    expect(byLabel('Install from File…').accelerator).toBe('CmdOrCtrl+O');
    // A cancelled dialog opens nothing.
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    (byLabel('Install from File…').click as () => void)();
    await flush();
    expect(api.shellCommand).toHaveBeenCalledTimes(2);
  });

  it('makes no shortcuts or commands in a development build, and says why', async () => {
    const { createApi } = await started({ dev: true });
    expect(createApi).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ integrationUnavailable: expect.stringMatching(/development build \(npm start\)/) }));
    expect(createApi.mock.calls[0]).not.toHaveProperty([0, 'integration']);
  });

  it('says why and exits when the core cannot start', async () => {
    const electron = fakeElectron(true);
    electronModule.current = electron;
    startDesktop(() => {
      throw new Error('the library is locked');
    }, { platform: 'linux' });
    electron.ready();
    await flush();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('Terrarium could not start', 'the library is locked');
    expect(electron.app.exit).toHaveBeenCalledWith(1);
    expect(FakeBrowserWindow.all).toEqual([]);
  });
});
