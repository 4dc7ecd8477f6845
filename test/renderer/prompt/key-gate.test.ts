/**
 * The permission prompt's anti-spoofing key gate (DESIGN §5, issue 10.6), on a fake clock: the
 * grace period, keys held when a prompt appears, auto-repeats, events created early but handled
 * late, and a swallowed press swallowed through its release and its click.
 */
import { describe, expect, test } from 'vitest';
import { type GateKey, KeyGate } from '../../../renderer/lib/prompt/key-gate.ts';

const ARM = 600;

function setup(held: string[] = []) {
  let t = 1000;
  const gate = new KeyGate(ARM, () => t);
  gate.shown(new Set(held));
  const key = (code: string, extra: Partial<GateKey> = {}): GateKey => ({ code, key: code, repeat: false, timeStamp: t, ...extra });
  return { gate, key, wait: (ms: number) => (t += ms) };
}

describe('grace period', () => {
  test('a key in the grace period is swallowed, one after it passes', () => {
    const { gate, key, wait } = setup();
    expect(gate.armed).toBe(false);
    expect(gate.keydown(key('Enter'))).toBe('swallow');
    wait(ARM);
    expect(gate.armed).toBe(true);
    expect(gate.keydown(key('KeyA'))).toBe('pass');
  });

  test('a click in the grace period does not answer; after it, it does', () => {
    const { gate, wait } = setup();
    expect(gate.click(1)).toBe(false);
    wait(ARM);
    expect(gate.click(1)).toBe(true);
  });

  test('the next prompt in the queue starts a new grace period', () => {
    const { gate, key, wait } = setup();
    wait(ARM);
    gate.shown(new Set());
    expect(gate.keydown(key('Escape'))).toBe('swallow');
    expect(gate.click(1)).toBe(false);
  });

  test('an event created in the grace period but handled after it is stale', () => {
    const { gate, key, wait } = setup();
    const early = key('Enter'); // created now, handled late
    wait(ARM + 50);
    expect(gate.keydown(early)).toBe('swallow');
    expect(gate.keydown(key('Enter'))).toBe('pass');
  });

  test('an event without a time stamp is judged by the clock alone', () => {
    const { gate, key, wait } = setup();
    wait(ARM);
    expect(gate.keydown(key('Enter', { timeStamp: 0 }))).toBe('pass');
  });
});

describe('held and repeated keys', () => {
  test('a key held when the prompt appeared counts only after its release', () => {
    const { gate, key, wait } = setup(['Enter']);
    wait(ARM);
    expect(gate.keydown(key('Enter', { repeat: true }))).toBe('swallow');
    expect(gate.keydown(key('Enter'))).toBe('swallow'); // still the same hold
    expect(gate.keyup(key('Enter'))).toBe('swallow');
    expect(gate.keydown(key('Enter'))).toBe('pass');
  });

  test('auto-repeats never count, even after the grace period', () => {
    const { gate, key, wait } = setup();
    wait(ARM);
    expect(gate.keydown(key('Space', { repeat: true }))).toBe('swallow');
  });

  test('other held keys do not block a fresh one', () => {
    const { gate, key, wait } = setup(['ShiftLeft']);
    wait(ARM);
    expect(gate.keydown(key('Escape'))).toBe('pass');
  });

  test('a key is known by its code, else by its value', () => {
    const { gate, wait } = setup(['Enter']);
    wait(ARM);
    expect(gate.keydown({ code: '', key: 'Enter', repeat: false, timeStamp: 0 })).toBe('swallow');
  });
});

describe('a swallowed press stays swallowed', () => {
  test('its keypress and keyup are swallowed, a fresh key is not', () => {
    const { gate, key, wait } = setup();
    expect(gate.keydown(key('Space'))).toBe('swallow');
    wait(ARM);
    expect(gate.keypress(key('Space'))).toBe('swallow');
    expect(gate.keypress(key('KeyX'))).toBe('pass');
    expect(gate.keyup(key('Space'))).toBe('swallow'); // Space clicks on keyup: not this time
    expect(gate.keyup(key('Space'))).toBe('pass');
  });

  test('a click a swallowed Enter or Space makes is not an answer; a mouse click is', () => {
    const { gate, key, wait } = setup();
    gate.keydown(key('Enter'));
    wait(ARM);
    expect(gate.click(0)).toBe(false);
    expect(gate.click(1)).toBe(true);
    gate.keyup(key('Enter'));
    expect(gate.click(0)).toBe(true);
  });

  test('a swallowed key that does not activate buttons does not block keyboard clicks', () => {
    const { gate, key, wait } = setup();
    gate.keydown(key('KeyA'));
    wait(ARM);
    expect(gate.click(0)).toBe(true);
  });
});
