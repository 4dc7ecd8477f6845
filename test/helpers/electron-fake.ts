/**
 * Stand-ins for the Electron objects the shell drives (DESIGN §8: Node's EventEmitter is enough),
 * so every security item is tested without Electron. Each records what was installed on it.
 */
import { EventEmitter } from 'node:events';
import type { HandlerDetails, IpcMainInvokeEvent, MenuItemConstructorOptions, WindowOpenHandlerResponse } from 'electron';
import { vi } from 'vitest';

/** An Electron-style event: `preventDefault()` marks it. */
export interface FakeEvent {
  url: string;
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(url: string): FakeEvent {
  return {
    url,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

/** A session recording its permission handlers. */
export class FakeSession extends EventEmitter {
  requestHandler: ((...args: unknown[]) => void) | null = null;
  checkHandler: ((...args: unknown[]) => boolean) | null = null;
  deviceHandler: ((...args: unknown[]) => boolean) | null = null;
  setPermissionRequestHandler(h: (...args: unknown[]) => void): void {
    this.requestHandler = h;
  }
  setPermissionCheckHandler(h: (...args: unknown[]) => boolean): void {
    this.checkHandler = h;
  }
  setDevicePermissionHandler(h: (...args: unknown[]) => boolean): void {
    this.deviceHandler = h;
  }
}

/** A webContents: emits navigation events, records its window-open handler and what it was sent. */
export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  destroyed = false;
  url = 'app://terrarium/index.html';
  sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  setWindowOpenHandler(h: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = h;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.url;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
  /** Emits `name` the way Electron does (event object first, then the deprecated url) and returns the event. */
  navigate(name: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', url: string): FakeEvent {
    const event = fakeEvent(url);
    this.emit(name, event, url, false, true);
    return event;
  }
  /** What `window.open(url)` gets back. */
  openWindow(url: string): WindowOpenHandlerResponse | undefined {
    return this.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'no-referrer' } });
  }
}

/** A frame as IPC events carry it. */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  detached: boolean;
  destroyed: boolean;
  isDestroyed(): boolean;
}

export function fakeFrame(url: string, parent: FakeFrame | null = null): FakeFrame {
  return {
    url,
    parent,
    detached: false,
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
  };
}

/** An IPC invoke event from `frame` in `sender`, typed as Electron's so it can reach real handlers. */
export function ipcEvent(sender: FakeWebContents, frame: FakeFrame | null): IpcMainInvokeEvent {
  return { sender, senderFrame: frame, frameId: 1, processId: 1, type: 'frame', preventDefault() {}, defaultPrevented: false } as unknown as IpcMainInvokeEvent;
}

/** An ipcMain recording its `handle`rs, with `invoke` to call one as a renderer would. */
export class FakeIpcMain extends EventEmitter {
  handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, event: IpcMainInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  }
}

/** An ipcRenderer: `invoke` answers with `reply`, `deliver` emits on a channel as main would. */
export class FakeIpcRenderer extends EventEmitter {
  invoked: unknown[][] = [];
  reply: (channel: string, ...args: unknown[]) => Promise<unknown> = async () => ({ ok: true, value: null });
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, ...args]);
    return this.reply(channel, ...args);
  }
  /** A message from main, with the IpcRendererEvent listeners must never see. */
  deliver(channel: string, message: unknown): void {
    this.emit(channel, { sender: this, senderId: 0, ports: [] }, message);
  }
}

// --- the `electron` module itself -----------------------------------------------------------------

/** A BrowserWindow stand-in: records what it loaded and how it was shown, focused and closed. */
export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all.filter((w) => !w.destroyed);
  }
  webContents = new FakeWebContents();
  destroyed = false;
  minimized = false;
  focused = 0;
  shown = 0;
  background = '';
  loaded: string[] = [];
  readonly options: Record<string, unknown>;
  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    FakeBrowserWindow.all.push(this);
  }
  show(): void {
    this.shown++;
  }
  setBackgroundColor(c: string): void {
    this.background = c;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focused++;
  }
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

/**
 * A fresh set of the Electron objects the shell uses, with `ready()` to fire `app.whenReady()`
 * and `log` recording the calls whose order matters (enableSandbox, registerSchemesAsPrivileged).
 */
export function fakeElectron(lock: boolean) {
  let ready: () => void = () => {};
  const readyPromise = new Promise<void>((r) => (ready = r));
  const log: string[] = [];
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    enableSandbox: vi.fn(() => log.push('enableSandbox')),
    commandLine: { getSwitchValue: vi.fn((_name: string) => 'Vulkan'), appendSwitch: vi.fn((name: string, value?: string) => log.push(`appendSwitch ${name}=${value ?? ''}`)) },
    requestSingleInstanceLock: vi.fn((_data?: unknown) => lock),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(() => readyPromise),
    getAppPath: () => '/opt/terrarium/resources/app.asar',
    getVersion: () => '0.1.0',
    setAboutPanelOptions: vi.fn(),
  });
  FakeBrowserWindow.all = [];
  return {
    ready,
    log,
    app,
    BrowserWindow: FakeBrowserWindow,
    dialog: { showOpenDialog: vi.fn(), showMessageBox: vi.fn(), showErrorBox: vi.fn() },
    ipcMain: new FakeIpcMain(),
    Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t, setApplicationMenu: vi.fn() },
    nativeTheme: Object.assign(new EventEmitter(), { shouldUseDarkColors: false }),
    protocol: { registerSchemesAsPrivileged: vi.fn(() => log.push('registerSchemesAsPrivileged')), handle: vi.fn() },
    session: { defaultSession: new FakeSession() },
    shell: { openExternal: vi.fn(async () => {}) },
  };
}

/** What the fake `electron` module forwards to: set `electronModule.current` in each test. */
export const electronModule: { current: Record<string, unknown> } = { current: {} };

/**
 * The fake `electron` module, for `vi.mock('electron', async () => (await import(...)).fakeElectronModule())`:
 * each export reads `electronModule.current` at use, so every test starts from fresh objects.
 */
export function fakeElectronModule(): Record<string, unknown> {
  const forward = (name: string) =>
    new Proxy(function () {}, {
      get: (_t, key) => {
        const target = electronModule.current[name] as Record<string | symbol, unknown>;
        const value = target[key];
        return typeof value === 'function' && name !== 'BrowserWindow' ? value.bind(target) : value;
      },
      construct: (_t, args) => new (electronModule.current[name] as new (...a: unknown[]) => object)(...args),
    });
  const names = ['app', 'BrowserWindow', 'dialog', 'ipcMain', 'Menu', 'nativeTheme', 'protocol', 'session', 'shell'];
  return Object.fromEntries(names.map((n) => [n, forward(n)]));
}
