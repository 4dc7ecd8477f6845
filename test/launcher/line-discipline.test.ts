/**
 * The terminal's cooked-mode line discipline (DESIGN §6), driven through its public `input()` with
 * what xterm.js reports for keys and pastes. Each case checks what reaches the app (deliveries,
 * end of input, interrupts) and, through a tiny terminal model fed with the echo, what the person
 * sees on the line and where the cursor is.
 */
import { describe, expect, test } from 'vitest';
import { LineDiscipline } from '../../main/launcher/line-discipline.ts';

type Event = { deliver: string } | 'eof' | 'interrupt';

/**
 * The few sequences the discipline echoes: text, \b, \r\n, CSI n C/D, CSI K, CSI H, CSI 2J. Wide
 * chars take 2 cells; a combining mark, skin-tone modifier, variation selector or what follows a
 * zero-width joiner joins the cell before it, as in a terminal that draws graphemes.
 */
class MiniTerm {
  rows: string[] = [];
  cells: string[] = [];
  col = 0;
  raw = '';
  cleared = 0;
  static width(ch: string): number {
    return /\p{Extended_Pictographic}|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u.test(ch) ? 2 : 1;
  }
  write(s: string): void {
    this.raw += s;
    for (let i = 0; i < s.length; ) {
      const csi = /^\x1b\[(\d*)([A-Za-z])/.exec(s.slice(i));
      if (csi) {
        const n = Number(csi[1] || '1');
        if (csi[2] === 'D') this.col = Math.max(0, this.col - n);
        else if (csi[2] === 'C') this.col += n;
        else if (csi[2] === 'K') this.cells.length = Math.min(this.cells.length, this.col);
        else if (csi[2] === 'H') this.col = 0;
        else if (csi[2] === 'J' && n === 2) {
          this.rows = [];
          this.cells = [];
          this.cleared++;
        }
        else throw new Error(`unexpected echo sequence ${JSON.stringify(csi[0])}`);
        i += csi[0].length;
        continue;
      }
      const ch = String.fromCodePoint(s.codePointAt(i)!);
      i += ch.length;
      if (ch === '\b') this.col = Math.max(0, this.col - 1);
      else if (ch === '\r') this.col = 0;
      else if (ch === '\n') {
        this.rows.push(this.text());
        this.cells = [];
      } else if (this.col > 0 && (/[\p{M}\p{Emoji_Modifier}\u200d\ufe0f]/u.test(ch) || this.cellBefore().endsWith('\u200d'))) {
        const at = this.cells[this.col - 1] === '' ? this.col - 2 : this.col - 1;
        this.cells[at] += ch;
      } else {
        const w = MiniTerm.width(ch);
        while (this.cells.length < this.col + w) this.cells.push(' ');
        // like xterm: overwriting either half of a wide character blanks the other half
        for (let c = this.col; c < this.col + w; c++) {
          if (this.cells[c] === '' && c > 0) this.cells[c - 1] = ' ';
          if (this.cells[c + 1] === '' && MiniTerm.width(this.cells[c]!) === 2) this.cells[c + 1] = ' ';
        }
        this.cells[this.col] = ch;
        if (w === 2) this.cells[this.col + 1] = '';
        this.col += w;
      }
    }
  }
  private cellBefore(): string {
    return (this.cells[this.col - 1] === '' ? this.cells[this.col - 2] : this.cells[this.col - 1]) ?? '';
  }
  text(): string {
    return this.cells.join('').trimEnd();
  }
}

function setup() {
  const events: Event[] = [];
  const term = new MiniTerm();
  const ld = new LineDiscipline({
    echo: (t) => term.write(t),
    deliver: (b) => events.push({ deliver: new TextDecoder().decode(b) }),
    endOfInput: () => events.push('eof'),
    interrupt: () => events.push('interrupt'),
  });
  return { ld, events, term, type: (...chunks: string[]) => chunks.forEach((c) => ld.input(c)) };
}

const d = (s: string): Event => ({ deliver: s });
const LEFT = '\x1b[D', RIGHT = '\x1b[C', UP = '\x1b[A', DOWN = '\x1b[B', BS = '\x7f';
const CTRL_LEFT = '\x1b[1;5D', CTRL_RIGHT = '\x1b[1;5C', HOME = '\x1b[H', ALT_BS = '\x1b\x7f';

interface Case {
  name: string;
  /** Separate input() calls. */
  input: string[];
  events: Event[];
  /** What the terminal shows on the current (unfinished) line afterwards. */
  screen?: string;
  /** The cursor's column afterwards (default: the end of `screen`). */
  cursor?: number;
}

const cases: Case[] = [
  { name: 'typing a line and Enter (CR)', input: ['abc\r'], events: [d('abc\n')], screen: '' },
  { name: 'LF also ends the line', input: ['abc\n'], events: [d('abc\n')] },
  { name: 'keys one call each', input: ['a', 'b', 'c', '\r'], events: [d('abc\n')] },
  { name: 'Backspace at the end', input: ['abcd', BS, '\r'], events: [d('abc\n')] },
  { name: 'Ctrl+H is Backspace too', input: ['abcd\b\r'], events: [d('abc\n')] },
  { name: 'Backspace mid-line', input: ['abcd', LEFT, LEFT, BS], events: [], screen: 'acd', cursor: 1 },
  { name: 'Backspace mid-line then Enter', input: ['abcd', LEFT, LEFT, BS, '\r'], events: [d('acd\n')] },
  { name: 'Backspace on an empty line does nothing', input: [BS, BS, 'x\r'], events: [d('x\n')] },
  { name: 'Delete key removes under the cursor', input: ['abc', LEFT, LEFT, '\x1b[3~'], events: [], screen: 'ac', cursor: 1 },
  { name: 'Ctrl+U kills the line', input: ['hello', '\x15'], events: [], screen: '' },
  { name: 'Ctrl+U then new text', input: ['hello', '\x15', 'bye\r'], events: [d('bye\n')] },
  { name: 'Ctrl+U with the cursor mid-line', input: ['hello', LEFT, LEFT, '\x15', 'x\r'], events: [d('x\n')] },
  { name: '← then insert in the middle', input: ['acd', LEFT, LEFT, 'b'], events: [], screen: 'abcd', cursor: 2 },
  { name: '← then insert, Enter delivers the edited line', input: ['acd', LEFT, LEFT, 'b', '\r'], events: [d('abcd\n')] },
  { name: '←/→ moves and stays within the line', input: ['ab', LEFT, LEFT, LEFT, RIGHT, 'x', RIGHT, RIGHT, RIGHT, 'y\r'], events: [d('axby\n')] },
  { name: 'SS3 arrows (application cursor mode)', input: ['ac', '\x1bOD', 'b', '\x1bOC', 'd\r'], events: [d('abcd\n')] },
  { name: 'Home (CSI H) then insert', input: ['bc', '\x1b[H', 'a\r'], events: [d('abc\n')] },
  { name: 'End (CSI F) then insert', input: ['ab', '\x1b[H', '\x1b[F', 'c\r'], events: [d('abc\n')] },
  { name: 'Ctrl+A then insert', input: ['bc', '\x01', 'a\r'], events: [d('abc\n')] },
  { name: 'Ctrl+E then insert', input: ['ab', '\x01', '\x05', 'c\r'], events: [d('abc\n')] },
  { name: 'Home/End as CSI 1~ / 4~ and SS3 H/F', input: ['b', '\x1b[1~', 'a', '\x1b[4~', 'c', '\x1bOH', '>', '\x1bOF', '<\r'], events: [d('>abc<\n')] },
  { name: 'Enter with the cursor mid-line delivers the whole line', input: ['abc', LEFT, LEFT, '\r'], events: [d('abc\n')] },
  { name: '↑ recalls the previous line', input: ['one\r', 'two\r', UP, '\r'], events: [d('one\n'), d('two\n'), d('two\n')] },
  { name: '↑↑ recalls older lines', input: ['one\r', 'two\r', UP, UP, '\r'], events: [d('one\n'), d('two\n'), d('one\n')] },
  { name: '↑ past the oldest stays at the oldest', input: ['one\r', UP, UP, UP, '\r'], events: [d('one\n'), d('one\n')] },
  { name: '↑ shows the line on screen', input: ['one\r', 'two\r', UP], events: [d('one\n'), d('two\n')], screen: 'two' },
  { name: '↑ over a longer line erases it', input: ['a\r', 'longer text', UP], events: [d('a\n')], screen: 'a' },
  { name: '↑↓ back to the newest gives an empty line', input: ['one\r', UP, DOWN], events: [d('one\n')], screen: '' },
  { name: '↓ past the newest then Enter delivers an empty line', input: ['one\r', UP, DOWN, DOWN, '\r'], events: [d('one\n'), d('\n')] },
  { name: 'recalled line can be edited', input: ['one\r', UP, BS, 'e!\r'], events: [d('one\n'), d('one!\n')] },
  { name: 'duplicates are not stored twice', input: ['a\r', 'b\r', 'b\r', UP, UP, '\r'], events: [d('a\n'), d('b\n'), d('b\n'), d('a\n')] },
  { name: 'empty lines are not stored', input: ['a\r', '\r', UP, '\r'], events: [d('a\n'), d('\n'), d('a\n')] },
  { name: 'Ctrl+D on an empty line ends input', input: ['\x04'], events: ['eof'] },
  { name: 'Ctrl+D on a non-empty line delivers it without newline', input: ['abc\x04'], events: [d('abc')] },
  { name: 'Ctrl+D then Ctrl+D: the line, then end of input', input: ['ab\x04', '\x04'], events: [d('ab'), 'eof'] },
  { name: 'Ctrl+C interrupts and drops the line', input: ['abc\x03'], events: ['interrupt'] },
  { name: 'escape sequence split after ESC', input: ['ab', '\x1b', '[D', 'x\r'], events: [d('axb\n')] },
  { name: 'escape sequence split after CSI', input: ['ab', '\x1b[', 'D', 'x\r'], events: [d('axb\n')] },
  { name: 'escape sequence split inside parameters', input: ['ab', '\x1b[3', '~', '\r'], events: [d('ab\n')] },
  { name: 'SS3 sequence split after ESC O', input: ['ab', '\x1bO', 'D', 'x\r'], events: [d('axb\n')] },
  { name: 'function keys are ignored', input: ['a', '\x1b[15~', '\x1bOP', '\x1b[1;5C', '\x1b[24~', 'b\r'], events: [d('ab\n')] },
  { name: 'bracketed-paste markers are not inserted', input: ['\x1b[200~hi\x1b[201~\r'], events: [d('hi\n')] },
  { name: 'CSI with private markers (DA reply) is ignored', input: ['a', '\x1b[?62;22c', '\x1b[>0;276;0c', 'b\r'], events: [d('ab\n')] },
  { name: 'OSC reply is ignored', input: ['a', '\x1b]11;rgb:0000/0000/0000\x07', 'b\r'], events: [d('ab\n')] },
  { name: 'C1 controls are ignored', input: ['a\x85\x9b\x90\x9fb\r'], events: [d('ab\n')] },
  { name: 'other C0 controls are ignored', input: ['a\x00\x07\x0e\x1a\x1c\x1fb\r'], events: [d('ab\n')] },
  { name: 'an emoji is one character for Backspace', input: ['a😀', BS, 'b\r'], events: [d('ab\n')] },
  { name: 'an emoji is one character for ←', input: ['a😀c', LEFT, LEFT, 'b\r'], events: [d('ab😀c\n')] },
  { name: 'a paste of several lines delivers each line', input: ['one\rtwo\rthree\r'], events: [d('one\n'), d('two\n'), d('three\n')] },
  { name: 'a paste with CRLF line ends', input: ['one\r\ntwo\r\n'], events: [d('one\n'), d('\n'), d('two\n'), d('\n')] },
  { name: 'a paste without a final newline leaves the tail on the line', input: ['one\rtw'], events: [d('one\n')], screen: 'tw' },
  { name: 'non-ASCII text is delivered as UTF-8', input: ['héllo wörld ✓\r'], events: [d('héllo wörld ✓\n')] },
  // readline's word and line keys
  { name: 'Ctrl+W deletes the word before the cursor', input: ['echo hello world', '\x17'], events: [], screen: 'echo hello', cursor: 11 },
  { name: 'Ctrl+W twice, spaces after a word go with it', input: ['echo hello world  ', '\x17', '\x17', '\r'], events: [d('echo \n')] },
  { name: 'Ctrl+W stops only at spaces (a path is one word)', input: ['cat a/b-c.txt', '\x17', '\r'], events: [d('cat \n')] },
  { name: 'Ctrl+W mid-line keeps what follows', input: ['one two three', CTRL_LEFT, '\x17'], events: [], screen: 'one three', cursor: 4 },
  { name: 'Alt+Backspace deletes back to punctuation', input: ['cat path/to/file', ALT_BS, '\r'], events: [d('cat path/to/\n')] },
  { name: 'Ctrl+← moves to the start of the word', input: ['one two three', CTRL_LEFT, 'X\r'], events: [d('one two Xthree\n')] },
  { name: 'Ctrl+← twice', input: ['one two three', CTRL_LEFT, CTRL_LEFT, 'X\r'], events: [d('one Xtwo three\n')] },
  { name: 'Ctrl+→ moves to the end of the word', input: ['one two', HOME, CTRL_RIGHT, 'X\r'], events: [d('oneX two\n')] },
  { name: 'Alt+B and Alt+F move by word too', input: ['one two three', '\x1bb', '\x1bb', 'X', '\x1bf', 'Y\r'], events: [d('one XtwoY three\n')] },
  { name: 'Alt+← and Alt+→ as well', input: ['one two', '\x1b[1;3D', 'X', '\x1b[1;3C', 'Y\r'], events: [d('one XtwoY\n')] },
  { name: 'Alt+D deletes the word after the cursor', input: ['one two three', HOME, CTRL_RIGHT, '\x1bd', '\r'], events: [d('one three\n')] },
  { name: 'Ctrl+K deletes to the end of the line', input: ['hello world', HOME, CTRL_RIGHT, '\x0b'], events: [], screen: 'hello', cursor: 5 },
  { name: 'Ctrl+K then Enter', input: ['hello world', CTRL_LEFT, '\x0b\r'], events: [d('hello \n')] },
  { name: 'Ctrl+L clears the screen and redraws the line', input: ['ab\r', 'cde', LEFT, '\x0c'], events: [d('ab\n')], screen: 'cde', cursor: 2 },
  { name: 'Ctrl+L keeps the line being edited', input: ['cde', '\x0c', 'f\r'], events: [d('cdef\n')] },
  // grapheme clusters and display widths
  { name: 'Backspace on 👍🏽 removes the whole character', input: ['a👍🏽', BS], events: [], screen: 'a', cursor: 1 },
  { name: 'Backspace on 👍🏽 delivers nothing of it', input: ['a👍🏽', BS, '\r'], events: [d('a\n')] },
  { name: 'Backspace on e + combining acute removes the letter', input: ['xe\u0301', BS, '\r'], events: [d('x\n')] },
  { name: 'a combining mark typed on its own joins the letter before', input: ['xe', '\u0301', BS, '\r'], events: [d('x\n')] },
  { name: 'e + combining acute takes one column', input: ['e\u0301'], events: [], screen: 'e\u0301', cursor: 1 },
  { name: '☕ takes two columns', input: ['☕'], events: [], screen: '☕', cursor: 2 },
  { name: '← over ☕ moves two columns', input: ['a☕', LEFT], events: [], screen: 'a☕', cursor: 1 },
  { name: '👍🏽 takes two columns', input: ['👍🏽'], events: [], screen: '👍🏽', cursor: 2 },
  { name: '← moves over 👍🏽 as one', input: ['a👍🏽c', LEFT, LEFT, 'b\r'], events: [d('ab👍🏽c\n')] },
  { name: 'a family (zero-width joiners) is one character', input: ['x👨\u200d👩\u200d👧', BS, '\r'], events: [d('x\n')] },
  { name: 'a flag is one character', input: ['x🇫🇷', BS, '\r'], events: [d('x\n')] },
  { name: 'Delete removes the whole character under the cursor', input: ['a👍🏽b', LEFT, LEFT, '\x1b[3~', '\r'], events: [d('ab\n')] },
  { name: 'Ctrl+W over accented words', input: ['café crème', '\x17', '\r'], events: [d('café \n')] },
  { name: 'Alt+Backspace over a decomposed accent', input: ['cafe\u0301', ALT_BS, '\r'], events: [d('\n')] },
];

describe('line discipline', () => {
  test.each(cases)('$name', (c) => {
    const { events, term, type } = setup();
    type(...c.input);
    expect(events).toEqual(c.events);
    if (c.screen !== undefined) {
      expect(term.text()).toBe(c.screen);
      expect(term.col).toBe(c.cursor ?? [...c.screen].reduce((n, ch) => n + MiniTerm.width(ch), 0));
    }
  });
});

describe('echo', () => {
  test('"abc\\r" echoes abc then CR LF, and delivers abc LF', () => {
    const { events, term, type } = setup();
    type('abc\r');
    expect(term.raw).toBe('abc\r\n');
    expect(term.rows).toEqual(['abc']);
    expect(events).toEqual([d('abc\n')]);
  });

  test('Enter with the cursor mid-line moves to the end before the newline', () => {
    const { term, type } = setup();
    type('abc', LEFT, LEFT, '\r');
    expect(term.rows).toEqual(['abc']);
    expect(term.raw.endsWith('\r\n')).toBe(true);
  });

  test('Ctrl+C echoes ^C and a new line', () => {
    const { term, type } = setup();
    type('abc', '\x03');
    expect(term.raw).toBe('abc^C\r\n');
  });

  test('Ctrl+D on a non-empty line echoes no newline', () => {
    const { term, type } = setup();
    type('abc\x04');
    expect(term.raw).toBe('abc');
  });

  test('ignored input echoes nothing', () => {
    const { term, type } = setup();
    type('\x00\x07\x85\x1b[15~', LEFT, RIGHT, BS, '\x1b[3~', UP, DOWN);
    expect(term.raw).toBe('');
  });

  test('a long sequence of edits keeps the screen equal to the line', () => {
    const { term, type, events } = setup();
    type('hello world', '\x01', RIGHT, RIGHT, 'X', '\x05', BS, BS, LEFT, 'Y', '\x1b[H', '\x1b[3~', '>');
    expect(term.text()).toBe('>eXllo woYr');
    type('\r');
    expect(events).toEqual([d('>eXllo woYr\n')]);
    expect(term.rows).toEqual(['>eXllo woYr']);
  });

  test('editing around a wide character keeps the screen right (2 columns per emoji)', () => {
    const { term, type } = setup();
    type('a😀c', LEFT, LEFT, 'b');
    expect(term.text()).toBe('ab😀c');
    type(RIGHT, BS);
    expect(term.text()).toBe('abc');
  });
});
