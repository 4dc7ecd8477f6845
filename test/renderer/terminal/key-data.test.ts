/** Keys typed before a just-shown terminal had the keyboard, as the terminal would send them (renderer/lib/terminal/key-data.ts). */
import { describe, expect, it } from 'vitest';
import { type KeyLike, keyData } from '../../../renderer/lib/terminal/key-data.ts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, isComposing: false, ...mods });

describe('keyData', () => {
  it('text, Enter, Backspace, Escape and the arrows as xterm.js sends them in its default modes', () => {
    expect(['h', 'I', ' ', '~', 'é', '字', '😀'].map((k) => keyData(key(k)))).toEqual(['h', 'I', ' ', '~', 'é', '字', '😀']);
    expect(keyData(key('A', { shiftKey: true }))).toBe('A');
    expect(['Enter', 'Backspace', 'Escape', 'ArrowUp', 'ArrowDown', 'ArrowRight', 'ArrowLeft'].map((k) => keyData(key(k))))
      .toEqual(['\r', '\x7f', '\x1b', '\x1b[A', '\x1b[B', '\x1b[C', '\x1b[D']);
  });

  it('Ctrl+letter is its control character, either case', () => {
    expect(keyData(key('c', { ctrlKey: true }))).toBe('\x03');
    expect(keyData(key('D', { ctrlKey: true }))).toBe('\x04');
    expect(keyData(key('a', { ctrlKey: true }))).toBe('\x01');
  });

  it('drops what it does not translate: composing, Alt and Meta chords, Ctrl+Shift (copy, paste), Tab, function and modifier keys', () => {
    const dropped = [
      key('a', { isComposing: true }), key('Process'), key('b', { altKey: true }), key('v', { metaKey: true }),
      key('C', { ctrlKey: true, shiftKey: true }), key('V', { ctrlKey: true, shiftKey: true }), key('1', { ctrlKey: true }),
      key('Tab'), key('F5'), key('Shift'), key('Control'), key('Dead'), key('Unidentified'),
    ];
    expect(dropped.map((k) => keyData(k))).toEqual(dropped.map(() => ''));
  });
});
