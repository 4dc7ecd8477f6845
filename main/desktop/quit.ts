/**
 * Quitting waits for the core: `will-quit` is held (its default prevented) until the library has
 * recorded how each run ended and closed the database, for at most `timeoutMs`, then the app
 * quits for real. A second quit while waiting changes nothing.
 */
import type { App, Event } from 'electron';

/** How long quitting waits for the core before it exits anyway. */
export const QUIT_WAIT_MS = 5000;

/** Holds `will-quit` until `close()` settles or `timeoutMs` passes, then quits (once). */
export function installQuitGuard(app: Pick<App, 'on' | 'quit'>, close: () => Promise<void> | null, timeoutMs = QUIT_WAIT_MS): void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('will-quit', (event: Event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    const closing = Promise.resolve()
      .then(close)
      .catch((err: unknown) => console.error('terrarium: closing the library failed', err));
    void Promise.race([closing, waited]).then(() => {
      clearTimeout(timer);
      state = 'closed';
      app.quit();
    });
  });
}
