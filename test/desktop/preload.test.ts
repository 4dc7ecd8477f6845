/** The preload, loaded with a fake contextBridge and ipcRenderer: exactly the contract, nothing of Electron. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, REQUEST_CHANNEL, type TerrariumApi } from '../../preload/api.ts';
import type { PreloadIpc } from '../../preload/index.ts';
import { FakeIpcRenderer } from '../helpers/electron-fake.ts';

const electron = vi.hoisted(() => {
  const exposed: { key: string; api: unknown }[] = [];
  return { exposed, contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }) }, ipcRenderer: {} as unknown };
});
vi.mock('electron', async () => {
  const { FakeIpcRenderer: Fake } = await import('../helpers/electron-fake.ts');
  electron.ipcRenderer = new Fake();
  return { contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer };
});

const { createPreloadApi } = await import('../../preload/index.ts');

describe('loading the preload', () => {
  it("exposes one object, as 'terrarium', with exactly request, on and pathForFile", () => {
    expect(electron.exposed.map((e) => e.key)).toEqual(['terrarium']);
    const api = electron.exposed[0]?.api as Record<string, unknown>;
    expect(Reflect.ownKeys(api).sort()).toEqual(['on', 'pathForFile', 'request']);
    expect((api.pathForFile as (f: unknown) => unknown)({})).toBe(null);
    expect(typeof api.request).toBe('function');
    expect(typeof api.on).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('exposes nothing of Electron: no ipcRenderer, no send, no invoke', () => {
    const api = electron.exposed[0]?.api as Record<string, unknown>;
    for (const leak of ['ipcRenderer', 'send', 'invoke', 'sendSync', 'removeAllListeners']) expect(api[leak]).toBeUndefined();
    expect(Object.getPrototypeOf(api)).toBe(Object.prototype);
  });

  it('is wired to ipcRenderer', async () => {
    const ipc = electron.ipcRenderer as FakeIpcRenderer;
    const api = electron.exposed[0]?.api as TerrariumApi;
    await api.request('apps.list', {});
    expect(ipc.invoked).toEqual([[REQUEST_CHANNEL, 'apps.list', {}]]);
  });
});

describe('createPreloadApi', () => {
  let ipc: FakeIpcRenderer;
  let api: TerrariumApi;
  beforeEach(() => {
    ipc = new FakeIpcRenderer();
    api = createPreloadApi(ipc as unknown as PreloadIpc);
  });

  it('invokes the request channel with the name and the arguments, untouched', async () => {
    const args = { ref: 'hello', args: ['--x'], cols: 80, rows: 24 };
    ipc.reply = async () => ({ ok: true, value: { runId: 'r1' } });
    expect(await api.request('runs.start', args)).toEqual({ ok: true, value: { runId: 'r1' } });
    expect(ipc.invoked).toEqual([[REQUEST_CHANNEL, 'runs.start', args]]);
    expect(ipc.invoked[0]?.[2]).toBe(args);
  });

  it('refuses request names outside the contract without sending anything', async () => {
    const request = api.request as (name: unknown, args: unknown) => ReturnType<TerrariumApi['request']>;
    for (const name of ['shell.exec', '__proto__', '', 7, null]) {
      expect(await request(name, {})).toMatchObject({ ok: false, code: 'unknown-request' });
    }
    expect(ipc.invoked).toEqual([]);
  });

  it('turns an IPC failure into a result, never a rejection', async () => {
    ipc.reply = async () => {
      throw new Error("Error invoking remote method 'terrarium:request': could not be cloned");
    };
    expect(await api.request('apps.list', {})).toMatchObject({ ok: false, code: 'ipc-error' });
  });

  it('delivers events to the listeners of their name only, with the payload alone', () => {
    const exits: unknown[][] = [];
    const changes: unknown[][] = [];
    api.on('run.exit', (...args) => exits.push(args));
    api.on('apps.changed', (...args) => changes.push(args));
    const exit = { runId: 'r1', outcome: 'exit', exitCode: 0, message: '' };
    ipc.deliver(EVENT_CHANNEL, { name: 'run.exit', payload: exit });
    ipc.deliver(EVENT_CHANNEL, { name: 'run.output', payload: { runId: 'r1', data: new Uint8Array(1) } });
    expect(exits).toEqual([[exit]]);
    expect(changes).toEqual([]);
  });

  it('ignores malformed messages and other channels', () => {
    const seen = vi.fn();
    api.on('apps.changed', seen);
    for (const m of [null, 'apps.changed', 42, { payload: {} }, { name: 7 }]) ipc.deliver(EVENT_CHANNEL, m);
    ipc.deliver('other-channel', { name: 'apps.changed', payload: { appId: null } });
    expect(seen).not.toHaveBeenCalled();
  });

  it('unsubscribes, once, and drops the IPC listener with the last subscription', () => {
    const listener = vi.fn();
    const off1 = api.on('apps.changed', listener);
    const off2 = api.on('apps.changed', listener);
    expect(ipc.listenerCount(EVENT_CHANNEL)).toBe(1);
    ipc.deliver(EVENT_CHANNEL, { name: 'apps.changed', payload: { appId: null } });
    expect(listener).toHaveBeenCalledTimes(2);
    off1();
    off1();
    ipc.deliver(EVENT_CHANNEL, { name: 'apps.changed', payload: { appId: null } });
    expect(listener).toHaveBeenCalledTimes(3);
    off2();
    expect(ipc.listenerCount(EVENT_CHANNEL)).toBe(0);
  });

  it('keeps delivering when one listener throws', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    api.on('apps.changed', () => {
      throw new Error('bad listener');
    });
    api.on('apps.changed', after);
    ipc.deliver(EVENT_CHANNEL, { name: 'apps.changed', payload: { appId: 'a' } });
    expect(after).toHaveBeenCalledExactlyOnceWith({ appId: 'a' });
    error.mockRestore();
  });

  it('refuses unknown event names and non-function listeners', () => {
    const on = api.on as (name: unknown, listener: unknown) => () => void;
    expect(() => on('ipc.raw', () => {})).toThrow(TypeError);
    expect(() => on('apps.changed', 'alert(1)')).toThrow(TypeError);
    expect(ipc.listenerCount(EVENT_CHANNEL)).toBe(0);
  });
});
