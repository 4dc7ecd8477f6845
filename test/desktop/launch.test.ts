/**
 * Launch requests in the shell (main/desktop/main.ts): the first launch's arguments, a second
 * instance's request (or argv), and macOS's open-file reach `onLaunchRequest` once the page has
 * loaded; and the pieces behind it (the queue, the integration host).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../main/api/index.ts';
import { desktopHost, shortcutIo } from '../../main/desktop/integration-host.ts';
import { createLaunchQueue } from '../../main/desktop/launch-queue.ts';
import { FakeBrowserWindow, electronModule, fakeElectron } from '../helpers/electron-fake.ts';


vi.mock('electron', async () => (await import('../helpers/electron-fake.ts')).fakeElectronModule());
const { startDesktop } = await import('../../main/desktop/main.ts');


const api = { handle: vi.fn(), onEvent: vi.fn(() => () => {}), close: vi.fn() } as unknown as Api;
const flush = () => new Promise((r) => setTimeout(r, 0));

async function start(argv: string[], opts: { lock?: boolean; platform?: NodeJS.Platform } = {}) {
  const electron = fakeElectron(opts.lock ?? true);
  electronModule.current = electron;
  const delivered: unknown[] = [];
  startDesktop(() => api, { platform: opts.platform ?? 'linux', argv, onLaunchRequest: (request, window) => delivered.push({ request, window }) });
  return { electron, delivered };
}

beforeEach(() => {
  FakeBrowserWindow.all = [];
});

describe('launch requests in the shell', () => {
  it('sends the first launch’s request along with the lock request, so a running instance gets it whole', async () => {
    const { electron } = await start(['terrarium', '--run', 'a1'], { lock: false });
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalledWith({ kind: 'run', app: 'a1' });
    expect(electron.app.quit).toHaveBeenCalled();
  });

  it('delivers the first launch’s request once the page has loaded', async () => {
    const { electron, delivered } = await start(['terrarium', '/home/ada/x.wasm']);
    electron.ready();
    await flush();
    const win = FakeBrowserWindow.all[0]!;
    expect(delivered).toEqual([]);
    win.webContents.emit('did-finish-load');
    expect(delivered).toEqual([{ request: { kind: 'open-file', path: '/home/ada/x.wasm' }, window: win }]);
  });

  it('prefers a second instance’s own request, else reads its argv against its folder', async () => {
    const { electron, delivered } = await start(['terrarium']);
    electron.ready();
    await flush();
    const win = FakeBrowserWindow.all[0]!;
    win.webContents.emit('did-finish-load');
    electron.app.emit('second-instance', {}, ['terrarium', '--run', 'reordered'], '/home/ada', { kind: 'run', app: 'a1' });
    electron.app.emit('second-instance', {}, ['terrarium', 'y.wasm'], '/home/ada', {});
    electron.app.emit('second-instance', {}, ['terrarium'], '/home/ada', null);
    expect(delivered.map((d) => (d as { request: unknown }).request)).toEqual([
      { kind: 'run', app: 'a1' },
      { kind: 'open-file', path: '/home/ada/y.wasm' },
    ]);
    expect(win.focused).toBe(3);
  });

  it('takes macOS open-file events, even before ready, and reopens the window for one', async () => {
    const { electron, delivered } = await start(['Terrarium', '-psn_0_1'], { platform: 'darwin' });
    const early = { preventDefault: vi.fn() };
    electron.app.emit('open-file', early, '/Users/ada/a.wasm');
    expect(early.preventDefault).toHaveBeenCalled();
    electron.ready();
    await flush();
    FakeBrowserWindow.all[0]!.webContents.emit('did-finish-load');
    FakeBrowserWindow.all[0]!.close();
    electron.app.emit('open-file', { preventDefault() {} }, '/Users/ada/b.wasm');
    expect(FakeBrowserWindow.all).toHaveLength(2);
    FakeBrowserWindow.all[1]!.webContents.emit('did-finish-load');
    expect(delivered).toEqual([
      { request: { kind: 'open-file', path: '/Users/ada/a.wasm' }, window: FakeBrowserWindow.all[0] },
      { request: { kind: 'open-file', path: '/Users/ada/b.wasm' }, window: FakeBrowserWindow.all[1] },
    ]);
  });
});

describe('createLaunchQueue', () => {
  it('keeps requests until attached, drops "none", and keeps again after detach', () => {
    const q = createLaunchQueue();
    const got: unknown[] = [];
    q.push({ kind: 'run', app: 'a' });
    q.push({ kind: 'none' });
    q.attach((r) => got.push(r));
    q.push({ kind: 'open-file', path: '/x.wasm' });
    q.detach();
    q.push({ kind: 'run', app: 'b' });
    expect(got).toEqual([{ kind: 'run', app: 'a' }, { kind: 'open-file', path: '/x.wasm' }]);
    q.attach((r) => got.push(r));
    expect(got).toHaveLength(3);
  });
});

describe('desktopHost', () => {
  const app = { getPath: (name: string) => ({ home: '/home/ada', desktop: '/home/ada/Schreibtisch' })[name] ?? '' } as never;

  it('points an AppImage’s shortcuts at the AppImage, not its mount, with the icon from resources', () => {
    const host = desktopHost({ app, platform: 'linux', env: { APPIMAGE: '/home/ada/T.AppImage' }, execPath: '/tmp/.mount_x/terrarium', resourcesPath: '/tmp/.mount_x/resources' });
    expect(host).toMatchObject({ executable: '/home/ada/T.AppImage', icon: '/tmp/.mount_x/resources/icons/terrarium.png', desktopDir: '/home/ada/Schreibtisch' });
    expect(desktopHost({ app, platform: 'linux', env: {}, execPath: '/opt/Terrarium/terrarium', resourcesPath: '/opt/Terrarium/resources' }).executable).toBe('/opt/Terrarium/terrarium');
  });

  it('uses Terrarium.exe for the icon on Windows and icon.icns on macOS', () => {
    expect(desktopHost({ app, platform: 'win32', env: {}, execPath: 'C:\\T\\Terrarium.exe', resourcesPath: 'C:\\T\\resources' }).icon).toBe('C:\\T\\Terrarium.exe');
    expect(desktopHost({ app, platform: 'darwin', env: {}, execPath: '/A/T.app/Contents/MacOS/T', resourcesPath: '/A/T.app/Contents/Resources' }).icon).toBe('/A/T.app/Contents/Resources/icon.icns');
  });

  it('runs the installed `terrarium` command for "Add as a command": the packed launcher, or the AppImage in CLI mode', () => {
    expect(desktopHost({ app, platform: 'linux', env: {}, execPath: '/opt/Terrarium/terrarium', resourcesPath: '/opt/Terrarium/resources' }).cli).toEqual(['/opt/Terrarium/resources/bin/terrarium']);
    expect(desktopHost({ app, platform: 'linux', env: { APPIMAGE: '/home/ada/T.AppImage' }, execPath: '/tmp/.mount_x/terrarium', resourcesPath: '/tmp/.mount_x/resources' }).cli).toEqual([
      '/home/ada/T.AppImage',
      '--ozone-platform=headless',
      '--disable-gpu',
      '--terrarium-cli',
      '--',
    ]);
    expect(desktopHost({ app, platform: 'win32', env: {}, execPath: 'C:\\T\\Terrarium.exe', resourcesPath: 'C:\\T\\resources' }).cli).toEqual(['C:\\T\\resources\\bin\\terrarium.cmd']);
    expect(desktopHost({ app, platform: 'darwin', env: {}, execPath: '/A/T.app/Contents/MacOS/T', resourcesPath: '/A/T.app/Contents/Resources' }).cli).toEqual(['/A/T.app/Contents/Resources/bin/terrarium']);
  });

  it('wraps Electron’s shortcut functions, treating an unreadable link as none', () => {
    const shell = { writeShortcutLink: vi.fn(() => true), readShortcutLink: vi.fn(() => { throw new Error('not a link'); }) };
    const io = shortcutIo(shell as never);
    const options = { target: 'T.exe', args: '--run a1', description: 'd', icon: 'T.exe', iconIndex: 0 };
    expect(io.writeShortcut!('C:\\x.lnk', options)).toBe(true);
    expect(shell.writeShortcutLink).toHaveBeenCalledWith('C:\\x.lnk', 'create', options);
    expect(io.readShortcut!('C:\\x.lnk')).toBeNull();
  });
});
