/**
 * The permission prompt's anti-spoofing gate (DESIGN §5), as a plain module: which key events and
 * clicks may answer a prompt. For `armMs` after a prompt appears no key and no click answers it; a
 * key already held down when it appeared counts only after it is released; auto-repeats never
 * count; an event created before the grace period ended but handled late (a busy page) is stale
 * too. A key whose press was swallowed is swallowed until its release (its keypress, and the keyup
 * that clicks a focused button for Space), and a click made by a swallowed Enter or Space is not an
 * answer.
 */

/** The parts of a keyboard event the gate looks at. */
export interface GateKey {
  code: string;
  key: string;
  repeat: boolean;
  /** When the event was created, on the same clock as `now` (0 when unknown). */
  timeStamp: number;
}

import { keyId } from '../util/held-keys.ts';

/** What to do with an event: let it through (to the focused button only), or swallow it. */
export type GateVerdict = 'pass' | 'swallow';

/** Keys that activate the focused button. */
const ACTIVATING = new Set(['Enter', 'NumpadEnter', 'Space']);

/** One prompt dialog's gate; `shown` starts the grace period of each prompt put on show. */
export class KeyGate {
  private readonly armMs: number;
  private readonly now: () => number;
  private shownAt = -Infinity;
  /** Keys held down when the prompt appeared: they count only after being released. */
  private stale = new Set<string>();
  /** Keys whose keydown was swallowed, until their keyup. */
  private readonly swallowed = new Set<string>();

  constructor(armMs: number, now: () => number = () => performance.now()) {
    this.armMs = armMs;
    this.now = now;
  }

  /** A prompt is on show from now (the first, or the next in the queue); `held` are the keys down. */
  shown(held: ReadonlySet<string>): void {
    this.shownAt = this.now();
    this.stale = new Set(held);
  }

  /** Whether the grace period of the prompt on show is over. */
  get armed(): boolean {
    return this.now() - this.shownAt >= this.armMs;
  }

  /** A key press that began after the grace period, not one typed ahead, held or repeated. */
  private fresh(e: GateKey): boolean {
    if (e.repeat || this.stale.has(keyId(e)) || !this.armed) return false;
    return !(e.timeStamp > 0 && e.timeStamp < this.shownAt + this.armMs);
  }

  /** A keydown: `pass` lets the focused button have it (Enter, Space, Esc, Tab), `swallow` drops it. */
  keydown(e: GateKey): GateVerdict {
    if (this.fresh(e)) return 'pass';
    this.swallowed.add(keyId(e));
    return 'swallow';
  }

  /** A keypress: swallowed when its keydown was. */
  keypress(e: GateKey): GateVerdict {
    return this.swallowed.has(keyId(e)) ? 'swallow' : 'pass';
  }

  /** A keyup: the key is no longer held; swallowed when its keydown was (Space clicks on keyup). */
  keyup(e: GateKey): GateVerdict {
    const id = keyId(e);
    this.stale.delete(id);
    return this.swallowed.delete(id) ? 'swallow' : 'pass';
  }

  /**
   * Whether a click on an answer counts: not in the grace period, and not one a swallowed Enter
   * or Space made (`detail` 0 is a click from the keyboard).
   */
  click(detail: number): boolean {
    if (!this.armed) return false;
    return !(detail === 0 && [...this.swallowed].some((k) => ACTIVATING.has(k)));
  }
}
