/** Status messages: shown as a toast and read out by the aria-live region. */

/** The kind of message, for its colour. */
export type Tone = 'info' | 'success' | 'error';

/** One message at a time; a newer one replaces the older. */
export class Status {
  message = $state('');
  tone = $state<Tone>('info');
  /** False for a message only read out: what it says is on screen already, next to its cause. */
  visible = $state(true);
  /** Bumped per message so the same text twice is still announced and shown. */
  serial = $state(0);
  private timer: ReturnType<typeof setTimeout> | undefined;

  announce(message: string, tone: Tone = 'info', opts: { visible?: boolean } = {}): void {
    this.message = message;
    this.tone = tone;
    this.visible = opts.visible ?? true;
    this.serial++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.clear(), tone === 'error' ? 9000 : 5000);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.message = '';
  }
}

export const status = new Status();

/** The message of an error from a request, for the person. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
