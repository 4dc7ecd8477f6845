/** The IPC router: forged senders and unknown requests never reach the core; valid ones do, untouched. */
import { describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, type EventName, type Events, REQUEST_CHANNEL, REQUEST_NAMES } from '../../preload/api.ts';
import { type EventSink, type EventTarget, forwardEvents, isRequestName, registerApi, type RequestHandler } from '../../main/desktop/ipc-router.ts';
import { isTrustedSender } from '../../main/desktop/security.ts';
import { FakeIpcMain, FakeWebContents, fakeFrame, ipcEvent } from '../helpers/electron-fake.ts';

function setup(handle: RequestHandler = async () => ({ ok: true, value: 'done' })) {
  const ipcMain = new FakeIpcMain();
  const window = new FakeWebContents();
  const core = vi.fn(handle);
  const remove = registerApi(ipcMain, core, (event) => isTrustedSender(event, 'app://terrarium', (s) => s.id === window.id));
  const main = fakeFrame('app://terrarium/index.html');
  return { ipcMain, window, core, remove, main };
}

describe('registerApi', () => {
  it('registers exactly one handler, on the request channel', () => {
    const { ipcMain, remove } = setup();
    expect([...ipcMain.handlers.keys()]).toEqual([REQUEST_CHANNEL]);
    remove();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('forwards a valid request with its arguments intact and returns the result', async () => {
    const { ipcMain, window, core, main } = setup(async (name, args) => ({ ok: true, value: { name, args } }));
    const args = { ref: 'hello', grants: [{ kind: 'folder', host: '/home/me/photos', guest: '/photos', access: 'read' }] };
    const result = await ipcMain.invoke(REQUEST_CHANNEL, ipcEvent(window, main), 'grants.add', args);
    expect(core).toHaveBeenCalledExactlyOnceWith('grants.add', args);
    expect(core.mock.calls[0]?.[1]).toBe(args);
    expect(result).toEqual({ ok: true, value: { name: 'grants.add', args } });
  });

  it.each([
    ['a sub-frame of the window', (f: ReturnType<typeof fakeFrame>) => fakeFrame('app://terrarium/index.html', f)],
    ['a foreign sub-frame', (f: ReturnType<typeof fakeFrame>) => fakeFrame('https://evil.example/', f)],
    ['another origin', () => fakeFrame('https://evil.example/')],
    ['a file: page', () => fakeFrame('file:///tmp/evil.html')],
    ['a data: page', () => fakeFrame('data:text/html,<script>1</script>')],
    ['no frame', () => null],
  ])('drops a forged request from %s', async (_what, frame) => {
    const { ipcMain, window, core, main } = setup();
    const result = await ipcMain.invoke(REQUEST_CHANNEL, ipcEvent(window, frame(main)), 'apps.uninstall', { ref: 'x' });
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    expect(core).not.toHaveBeenCalled();
  });

  it("drops the app's own page loaded in some other WebContents", async () => {
    const { ipcMain, core, main } = setup();
    const result = await ipcMain.invoke(REQUEST_CHANNEL, ipcEvent(new FakeWebContents(), main), 'apps.list', {});
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    expect(core).not.toHaveBeenCalled();
  });

  it('treats a sender check that throws as untrusted', async () => {
    const ipcMain = new FakeIpcMain();
    const core = vi.fn<RequestHandler>();
    registerApi(ipcMain, core, () => {
      throw new Error('boom');
    });
    expect(await ipcMain.invoke(REQUEST_CHANNEL, ipcEvent(new FakeWebContents(), null), 'apps.list', {})).toMatchObject({ code: 'forbidden' });
    expect(core).not.toHaveBeenCalled();
  });

  it.each([['shell.exec'], ['__proto__'], ['constructor'], ['toString'], ['APPS.LIST'], [''], [42], [null], [undefined], [{ name: 'apps.list' }], [['apps.list']]])(
    'rejects the unknown request %j',
    async (name) => {
      const { ipcMain, window, core, main } = setup();
      const result = await ipcMain.invoke(REQUEST_CHANNEL, ipcEvent(window, main), name, {});
      expect(result).toMatchObject({ ok: false, code: 'unknown-request' });
      expect(core).not.toHaveBeenCalled();
    },
  );

  it('checks the sender before the name, so a forged sender learns nothing', async () => {
    const { ipcMain, window } = setup();
    expect(await ipcMain.invoke(REQUEST_CHANNEL, ipcEvent(window, fakeFrame('https://evil.example/')), 'nope', {})).toMatchObject({ code: 'forbidden' });
  });

  it('turns a core that throws into an internal error result', async () => {
    const { ipcMain, window, main } = setup(async () => {
      throw new Error('secret detail');
    });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const result = await ipcMain.invoke(REQUEST_CHANNEL, ipcEvent(window, main), 'apps.list', {});
    expect(result).toEqual({ ok: false, code: 'internal', message: 'internal error' });
    error.mockRestore();
  });

  it('accepts every request name of the contract and nothing else', () => {
    for (const name of REQUEST_NAMES) expect(isRequestName(name)).toBe(true);
    expect(isRequestName('hasOwnProperty')).toBe(false);
  });
});

describe('forwardEvents', () => {
  const hub = () => {
    const listeners = new Set<EventSink>();
    return {
      listeners,
      subscribe: (l: EventSink) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      emit<K extends EventName>(name: K, payload: Events[K]) {
        for (const l of listeners) l(name, payload);
      },
    };
  };

  it('sends { name, payload } on the event channel', () => {
    const events = hub();
    const contents = new FakeWebContents();
    forwardEvents(events.subscribe, contents as unknown as EventTarget);
    const data = new Uint8Array([104, 105]);
    events.emit('run.output', { runId: 'r1', data });
    events.emit('apps.changed', { appId: null });
    expect(contents.sent).toEqual([
      { channel: EVENT_CHANNEL, args: [{ name: 'run.output', payload: { runId: 'r1', data } }] },
      { channel: EVENT_CHANNEL, args: [{ name: 'apps.changed', payload: { appId: null } }] },
    ]);
  });

  it('sends run output that is part of a larger buffer as a copy of just its bytes (IPC clones a view\'s whole buffer)', () => {
    const events = hub();
    const contents = new FakeWebContents();
    forwardEvents(events.subscribe, contents as unknown as EventTarget);
    const big = new Uint8Array(1 << 20);
    big.set([104, 105], 100);
    events.emit('run.output', { runId: 'r1', data: big.subarray(100, 102) });
    big.fill(0); // the buffer is reused after the event
    const sent = (contents.sent[0]!.args[0] as { payload: { data: Uint8Array } }).payload.data;
    expect(Array.from(sent)).toEqual([104, 105]);
    expect(sent.buffer.byteLength).toBe(2);
  });

  it('sends nothing while the contents shows anything but the app', () => {
    const events = hub();
    const contents = new FakeWebContents();
    contents.url = 'https://evil.example/';
    forwardEvents(events.subscribe, contents as unknown as EventTarget);
    events.emit('apps.changed', { appId: 'a' });
    expect(contents.sent).toEqual([]);
  });

  it('unsubscribes when the contents is destroyed or when told to', () => {
    const events = hub();
    const a = new FakeWebContents();
    const b = new FakeWebContents();
    forwardEvents(events.subscribe, a as unknown as EventTarget);
    const stop = forwardEvents(events.subscribe, b as unknown as EventTarget);
    expect(events.listeners.size).toBe(2);
    a.destroy();
    stop();
    expect(events.listeners.size).toBe(0);
    events.emit('apps.changed', { appId: null });
    expect(a.sent).toEqual([]);
  });
});
