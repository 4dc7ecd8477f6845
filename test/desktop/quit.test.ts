/** Quitting waits (bounded) for the core to record how runs ended and close the library. */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { installQuitGuard } from '../../main/desktop/quit.ts';
import { fakeEvent } from '../helpers/electron-fake.ts';

function fakeApp() {
  return Object.assign(new EventEmitter(), { quit: vi.fn() });
}

describe('installQuitGuard', () => {
  it('quits anyway when the core does not close in time', async () => {
    vi.useFakeTimers();
    try {
      const app = fakeApp();
      const close = vi.fn(() => new Promise<void>(() => {}));
      installQuitGuard(app as never, close, 1000);
      const e = fakeEvent('');
      app.emit('will-quit', e);
      expect(e.defaultPrevented).toBe(true);
      await vi.advanceTimersByTimeAsync(999);
      expect(app.quit).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(app.quit).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it('quits after a failed close, and a quit while closing neither closes twice nor lets the quit through', async () => {
    const app = fakeApp();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    let fail: (e: Error) => void = () => {};
    const close = vi.fn(() => new Promise<void>((_, reject) => (fail = reject)));
    installQuitGuard(app as never, close, 60_000);
    app.emit('will-quit', fakeEvent(''));
    const second = fakeEvent('');
    app.emit('will-quit', second);
    expect(second.defaultPrevented).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(close).toHaveBeenCalledOnce();
    fail(new Error('disk gone'));
    await new Promise((r) => setTimeout(r, 0));
    expect(app.quit).toHaveBeenCalledOnce();
    expect(errors).toHaveBeenCalledWith('terrarium: closing the library failed', expect.any(Error));
    errors.mockRestore();
  });

  it('lets the quit through at once when there is no core', () => {
    const app = fakeApp();
    installQuitGuard(app as never, () => null);
    const e = fakeEvent('');
    app.emit('will-quit', e);
    expect(e.defaultPrevented).toBe(true);
    return new Promise<void>((resolve) => setTimeout(() => {
      expect(app.quit).toHaveBeenCalledOnce();
      resolve();
    }, 0));
  });
});
