/**
 * The window's link to Terrarium (issue 13, point 5). Web mode talks over a WebSocket that can
 * drop (the core stopped, the machine slept): the window then says so at once, every action is
 * disabled (the shell is inert), and it tries again by itself, waiting a little longer each time;
 * once the core answers again the page reloads, so every view, tab and prompt is fetched fresh
 * (terminals come back from main's scrollback). The desktop app's IPC never drops.
 */

/** Waits between attempts: from the first to the longest. */
export const RETRY_FIRST_MS = 500;
export const RETRY_MAX_MS = 5000;

/** Whether the window is connected, and what it does about it when not. */
export class Connection {
  lost = $state(false);
  /** When the link dropped (ISO), for the banner. */
  since = $state<string | null>(null);
  /** Attempts since it dropped. */
  attempts = $state(0);
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * The link dropped: say so and retry with `probe` (true once the core answers again), then
   * `recover` (a reload).
   */
  dropped(probe: () => Promise<boolean>, recover: () => void = () => location.reload()): void {
    if (this.lost) return;
    this.lost = true;
    this.since = new Date().toISOString();
    this.attempts = 0;
    let wait = RETRY_FIRST_MS;
    const attempt = async (): Promise<void> => {
      this.attempts++;
      if (await probe()) {
        recover();
        return;
      }
      wait = Math.min(wait * 2, RETRY_MAX_MS);
      this.timer = setTimeout(() => void attempt(), wait);
    };
    this.timer = setTimeout(() => void attempt(), wait);
  }

  /** Stops retrying (tests, or a page going away). */
  stop(): void {
    clearTimeout(this.timer);
  }
}

export const connection = new Connection();
