/**
 * The terminal prompt cannot be hidden or faked by the app's output (issue 9, point 4): a real
 * terminal emulator (@xterm/headless) is fed hostile app output, then exactly what the prompt
 * writes; the question must be on screen in the normal buffer, in plain default-coloured visible
 * cells, on the bottom line under its rule, with the cursor shown and the scroll region whole.
 */
import xterm from '@xterm/headless';
import { expect, test } from 'vitest';
import { PROMPT_RULE, TERMINAL_RESET, keyChoice, parseChoice, promptText, terrariumNotice } from '../../main/cli/tty-screen.ts';
import type { Question } from '../../main/launcher/asking.ts';

const COLS = 100;
const ROWS = 24;
const q: Question = { appName: 'hostile', operation: 'read', path: '/home/ann/.ssh/id_rsa', reason: null };
const FAKE = 'terrarium: hostile wants to read /tmp/harmless.txt\r\n  [o]nce  [a]lways  [d]eny  [n]ever ask again  (no answer in 60 s: deny) > ';

/** Internals the public API does not expose (cursor visibility, scroll margins). */
interface Core {
  coreService: { isCursorHidden: boolean };
  buffer: { scrollTop: number; scrollBottom: number };
}

function write(t: xterm.Terminal, data: string | Uint8Array): Promise<void> {
  return new Promise((r) => t.write(data, r));
}

/** The terminal after `hostile` and then the prompt. */
async function screenAfter(hostile: string | Uint8Array): Promise<xterm.Terminal> {
  const t = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  await write(t, 'some output of the app\r\nmore of it\r\n');
  await write(t, hostile);
  await write(t, TERMINAL_RESET + promptText(q, 'read', false, 60_000));
  return t;
}

function row(t: xterm.Terminal, y: number): string {
  return (t.buffer.active.getLine(t.buffer.active.viewportY + y)?.translateToString(true) ?? '').trimEnd();
}

/** Asserts the question is visible as itself; returns the screen's rows. */
function expectPromptShown(t: xterm.Terminal): string[] {
  const core = (t as unknown as { _core: Core })._core;
  const buf = t.buffer.active;
  expect(buf.type).toBe('normal');
  expect(core.coreService.isCursorHidden).toBe(false);
  expect([core.buffer.scrollTop, core.buffer.scrollBottom]).toEqual([0, ROWS - 1]);
  expect(t.modes.originMode).toBe(false);
  expect(t.modes.insertMode).toBe(false);
  expect(t.modes.wraparoundMode).toBe(true);
  const rows = Array.from({ length: ROWS }, (_, y) => row(t, y));
  const expected = promptText(q, 'read', false, 60_000).split('\r\n');
  // The question is the last thing on screen: its lines end on the bottom row, where the cursor is.
  const first = ROWS - expected.length;
  expect(rows.slice(first)).toEqual(expected.map((l) => l.trimEnd()));
  expect(rows[first]).toBe(PROMPT_RULE);
  expect(buf.cursorY).toBe(ROWS - 1);
  // Every cell of it is drawn plainly: not concealed, not reversed, default colours.
  for (let y = first; y < ROWS; y++) {
    const line = buf.getLine(buf.viewportY + y)!;
    for (let x = 0; x < expected[y - first]!.trimEnd().length; x++) {
      const cell = line.getCell(x)!;
      const what = `row ${y} col ${x} (${cell.getChars()})`;
      expect(cell.isInvisible(), what).toBe(0);
      expect(cell.isInverse(), what).toBe(0);
      expect(cell.isFgDefault() && cell.isBgDefault(), what).toBe(true);
    }
  }
  return rows;
}

const ESC = '\x1b';
const HOSTILE: [string, string | Uint8Array][] = [
  ['an unterminated OSC (a title)', `${ESC}]0;pwned `],
  ['an unterminated OSC 52 (clipboard)', `${ESC}]52;c;`],
  ['an unterminated 8-bit OSC', '\u009d0;'],
  ['concealed text', `${ESC}[8m`],
  ['black on black, reversed', `${ESC}[30;40;7m`],
  ['a hidden cursor', `${ESC}[?25l`],
  ['the alternate screen', `${ESC}[?1049h${ESC}[2J`],
  ['the old alternate screen', `${ESC}[?47h`],
  ['a scroll region', `${ESC}[5;6r`],
  ['origin mode in a scroll region', `${ESC}[3;4r${ESC}[?6h`],
  ['an unterminated DCS', `${ESC}P1$r`],
  ['an unterminated APC', `${ESC}_Gf=100;`],
  ['an unterminated PM', `${ESC}^private`],
  ['an unterminated SOS', `${ESC}Xstring`],
  ['half a CSI', `${ESC}[1;`],
  ['a lone ESC', ESC],
  ['line-drawing characters in G0', `${ESC}(0`],
  ['shifted out to line drawing', `${ESC})0\x0e`],
  ['insert mode, no auto-wrap', `${ESC}[4h${ESC}[?7l`],
  ['a reverse-video screen', `${ESC}[?5h`],
  ['synchronized output left on', `${ESC}[?2026h`],
  ['half a UTF-8 character', new Uint8Array([0xe2, 0x80])],
  ['a cursor parked at the top', `${ESC}[H`],
  ['everything at once', `${ESC}[5;6r${ESC}[?6h${ESC}[?1049h${ESC}[?25l${ESC}[8m${ESC}(0${ESC}[4h${ESC}P1$r`],
];

test.each(HOSTILE)('after %s the question is drawn plainly', async (_what, hostile) => {
  expectPromptShown(await screenAfter(hostile));
});

test('a look-alike question printed by the app stays above the rule; the real one is the last thing drawn', async () => {
  const t = await screenAfter(`\r\n${FAKE}${ESC}[8m`);
  expectPromptShown(t);
  // The whole buffer, scrollback included: the app's look-alike is above the rule, never below.
  const all = Array.from({ length: t.buffer.active.length }, (_, y) => t.buffer.active.getLine(y)!.translateToString(true).trimEnd());
  const rule = all.lastIndexOf(PROMPT_RULE);
  const fake = all.findIndex((r) => r.includes('/tmp/harmless.txt'));
  expect(fake).toBeGreaterThanOrEqual(0);
  expect(fake).toBeLessThan(rule);
  expect(all.slice(rule).join('\n')).not.toContain('harmless');
  expect(all.slice(rule).join('\n')).toContain('/home/ann/.ssh/id_rsa');
});

test('the app cannot pre-empt or reuse the question: output after a hostile erase is still below', async () => {
  // The app tries to erase above and redraw: whatever it did, the question comes after it.
  const t = await screenAfter(`${ESC}[2J${ESC}[H${FAKE}${ESC}[1A${ESC}[2K`);
  expectPromptShown(t);
});

test('typed lines: keys and words answer, anything with a control character in it does not', () => {
  expect(parseChoice('o\n')).toBe('allow-once');
  expect(parseChoice(' Always \n')).toBe('allow-always');
  expect(parseChoice('d\n')).toBe('deny');
  expect(parseChoice('n\n')).toBe('deny-always');
  expect(parseChoice('e\n')).toBe('deny-run');
  expect(parseChoice('stop\n')).toBe('stop-run');
  expect(parseChoice('\x1b[24;1Ra\n')).toBeNull();
  expect(parseChoice('\x1b]l a\x1b\\\n')).toBeNull();
  expect(parseChoice('yes\n')).toBeNull();
});

test('an insistent question lists the answers about the whole run first, with their keys', () => {
  const text = promptText(q, 'read', true, 60_000).split('\r\n');
  const run = text.findIndex((l) => l.includes('deny [e]verything else from this run') && l.includes('[s]top this run'));
  const access = text.findIndex((l) => l.includes('[o]nce'));
  expect(run).toBeGreaterThan(0);
  expect(run).toBeLessThan(access);
  const calm = promptText(q, 'read', false, 60_000).split('\r\n');
  expect(calm.findIndex((l) => l.includes('[o]nce'))).toBeLessThan(calm.findIndex((l) => l.includes('[e]verything')));
});

test('Terrarium\'s own line after a run (a crash, a time limit) is shown plainly whatever the app left behind', async () => {
  const line = 'terrarium: the app crashed (wasm trap: unreachable)';
  for (const hostile of ['\x1b[8m', '\x1b]0;unterminated title', '\x1b[?1049h\x1b[?25l\x1b[5;6r', '\x1bP1$r', '\x1b[30;40m']) {
    const t = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
    await write(t, 'output of the app\r\n');
    await write(t, hostile);
    await write(t, terrariumNotice(`${line}\r\n`, true));
    const buf = t.buffer.active;
    expect(buf.type, JSON.stringify(hostile)).toBe('normal');
    expect((t as unknown as { _core: Core })._core.coreService.isCursorHidden).toBe(false);
    const y = Array.from({ length: ROWS }, (_, i) => row(t, i)).lastIndexOf(line);
    expect(y, JSON.stringify(hostile)).toBeGreaterThanOrEqual(0);
    const cells = buf.getLine(buf.viewportY + y)!;
    for (let x = 0; x < line.length; x++) {
      const c = cells.getCell(x)!;
      expect(c.isInvisible() || c.isInverse() || !c.isFgDefault() || !c.isBgDefault(), `${JSON.stringify(hostile)} at ${x}`).toBeFalsy();
    }
    t.dispose();
  }
  // Through a pipe or into a file, the line is written as it is.
  expect(terrariumNotice(`${line}\n`, false)).toBe(`${line}\n`);
});

test('one key (raw mode): a listed key answers, Enter/Esc/Ctrl+D deny, Ctrl+C stops, other keys and terminal replies are ignored', () => {
  expect(keyChoice('o')).toBe('allow-once');
  expect(keyChoice('A')).toBe('allow-always');
  expect(keyChoice('d\r')).toBe('deny');
  expect(keyChoice('n')).toBe('deny-always');
  expect(keyChoice('e')).toBe('deny-run');
  expect(keyChoice('always\r')).toBe('allow-always');
  for (const k of ['\r', '\n', '\x1b', '\x04']) expect(keyChoice(k)).toBeNull();
  expect(keyChoice('\x03')).toBe('stop-run');
  for (const k of ['x', 'y', ' ', '\x1b[24;1R', '\x1b[?1;2c', 'o\x1b[A', '\x1b]11;rgb:0000/0000/0000\x07']) expect(keyChoice(k)).toBeUndefined();
});

test('the question says one key answers when it does', () => {
  const q = { appName: 'app', operation: 'read' as const, path: '/x', reason: undefined } as unknown as Parameters<typeof promptText>[0];
  expect(promptText(q, 'read', false, 60_000, true).split('\r\n').at(-1)).toBe('  press one key, no Enter needed · (no answer in 60 s: deny) > ');
  expect(promptText(q, 'read', false, 60_000).split('\r\n').at(-1)).toBe('  (no answer in 60 s: deny) > ');
});
