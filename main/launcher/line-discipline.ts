/**
 * A cooked-mode line discipline, as a terminal driver does it (DESIGN §6), on the host side:
 * keystrokes from the terminal pane are edited into a line and Enter delivers it to the app's
 * stdin. The keys are readline's: ←/→, Home/End and Ctrl+A/E move; Ctrl+←/→ and Alt+B/F move by
 * word; Backspace/Delete, Ctrl+W (the word before, up to a space), Alt+Backspace (the word before),
 * Alt+D (the word after), Ctrl+U (the line), Ctrl+K (to the end) delete; ↑/↓ walk the history;
 * Ctrl+L clears the screen and redraws the line. Ctrl+D on an empty line ends input; Ctrl+C
 * interrupts the run.
 *
 * The line is a list of grapheme clusters, so editing and moving go by what a person sees as one
 * character (👍🏽, e + combining acute), and the cursor moves by display columns
 * (`preload/columns.ts`, the same rule the window's terminal draws with).
 */
import { graphemes, textColumns } from '../../preload/columns.ts';

/** Where the discipline sends its effects. */
export interface LineSink {
  /** Text to show in the terminal (echo, cursor movement). */
  echo(text: string): void;
  /** Bytes for the app's stdin. */
  deliver(bytes: Uint8Array): void;
  /** Ctrl+D on an empty line. */
  endOfInput(): void;
  /** Ctrl+C. */
  interrupt(): void;
}

const encoder = new TextEncoder();
const HISTORY = 200;

const left = (n: number): string => (n > 0 ? `\x1b[${n}D` : '');
const right = (n: number): string => (n > 0 ? `\x1b[${n}C` : '');
/** A complete escape sequence at the start of the input: CSI, SS3, OSC (BEL or ST ended), Meta+key. */
const ESCAPE = /^\x1b(?:\[[0-9;?<>=]*[ -/]*[@-~]|O[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-NP-Z\\^_a-z\x7f])/;
/** A prefix of one, cut at the end of a read. */
const PARTIAL = /^\x1b(?:\[[0-9;?<>=]*[ -/]*|O|\][^\x07\x1b]*\x1b?)?$/;
/** Printable text: no C0, DEL or C1 control. */
const PRINTABLE = /^[^\x00-\x1f\x7f-\x9f]+/;
const isWordChar = (g: string): boolean => /^[\p{L}\p{N}\p{M}_]/u.test(g);
const isSpace = (g: string): boolean => /^\s/u.test(g);

/** One terminal's line editor. */
export class LineDiscipline {
  private line: string[] = [];
  private cursor = 0;
  private readonly history: string[] = [];
  private historyAt = 0;
  private pendingEscape = '';
  private readonly sink: LineSink;

  constructor(sink: LineSink) {
    this.sink = sink;
  }

  /** Feeds raw input from the terminal (what xterm.js reports for keys and pastes). */
  input(data: string): void {
    let s = this.pendingEscape + data;
    this.pendingEscape = '';
    while (s.length > 0) {
      if (s[0] === '\x1b') {
        const m = ESCAPE.exec(s);
        if (!m) {
          if (s.length < 256 && PARTIAL.test(s)) {
            this.pendingEscape = s; // the rest of the sequence comes with the next input
            return;
          }
          s = s.slice(1);
          continue;
        }
        this.escape(m[0].slice(1));
        s = s.slice(m[0].length);
        continue;
      }
      const text = PRINTABLE.exec(s);
      if (text) {
        this.insert(text[0]);
        s = s.slice(text[0].length);
        continue;
      }
      this.key(s[0]!);
      s = s.slice(1);
    }
  }

  private key(ch: string): void {
    switch (ch) {
      case '\r':
      case '\n':
        return this.enter();
      case '\x7f':
      case '\b':
        return this.deleteBack(this.cursor - 1);
      case '\x15': // Ctrl+U
        return this.edit([], 0);
      case '\x0b': // Ctrl+K
        return this.edit(this.line.slice(0, this.cursor), this.cursor);
      case '\x17': // Ctrl+W: back to the previous space
        return this.deleteBack(this.wordStart((g) => !isSpace(g)));
      case '\x0c': // Ctrl+L
        return this.clearScreen();
      case '\x03':
        this.sink.echo('^C\r\n');
        this.line = [];
        this.cursor = 0;
        return this.sink.interrupt();
      case '\x04':
        if (this.line.length === 0) return this.sink.endOfInput();
        return this.flush(false);
      case '\x01':
        return this.moveTo(0);
      case '\x05':
        return this.moveTo(this.line.length);
      default:
        return; // other controls do nothing
    }
  }

  private escape(seq: string): void {
    switch (seq) {
      case '[D': case 'OD': return this.moveTo(this.cursor - 1);
      case '[C': case 'OC': return this.moveTo(this.cursor + 1);
      case '[1;5D': case '[1;3D': case 'b': return this.moveTo(this.wordStart(isWordChar));
      case '[1;5C': case '[1;3C': case 'f': return this.moveTo(this.wordEnd());
      case '[H': case 'OH': case '[1~': return this.moveTo(0);
      case '[F': case 'OF': case '[4~': return this.moveTo(this.line.length);
      case '[A': case 'OA': return this.recall(-1);
      case '[B': case 'OB': return this.recall(1);
      case '[3~': return this.edit([...this.line.slice(0, this.cursor), ...this.line.slice(this.cursor + 1)], this.cursor);
      case '\x7f': return this.deleteBack(this.wordStart(isWordChar)); // Alt+Backspace
      case 'd': return this.edit([...this.line.slice(0, this.cursor), ...this.line.slice(this.wordEnd())], this.cursor);
      default: return; // function keys and the like are not input in cooked mode
    }
  }

  /** Where the word before the cursor starts: skip what is not `inWord`, then what is. */
  private wordStart(inWord: (g: string) => boolean): number {
    let p = this.cursor;
    while (p > 0 && !inWord(this.line[p - 1]!)) p--;
    while (p > 0 && inWord(this.line[p - 1]!)) p--;
    return p;
  }

  /** Where the word at or after the cursor ends. */
  private wordEnd(): number {
    let p = this.cursor;
    while (p < this.line.length && !isWordChar(this.line[p]!)) p++;
    while (p < this.line.length && isWordChar(this.line[p]!)) p++;
    return p;
  }

  /** Deletes from `from` up to the cursor. */
  private deleteBack(from: number): void {
    if (from < 0) return;
    this.edit([...this.line.slice(0, from), ...this.line.slice(this.cursor)], from);
  }

  /** Text typed or pasted at the cursor; it may join the character before it (a combining mark). */
  private insert(text: string): void {
    const before = this.line.slice(0, this.cursor).join('') + text;
    const chars = graphemes(before + this.line.slice(this.cursor).join(''));
    let at = 0;
    for (let len = 0; at < chars.length && len < before.length; at++) len += chars[at]!.length;
    this.edit(chars, at);
  }

  /**
   * Makes `chars` the line with the cursor at `cursor`, echoing only what changed: back to the
   * first character that differs, the new rest, an erase of what is left over, back to the cursor.
   */
  private edit(chars: string[], cursor: number): void {
    const old = this.line;
    let same = 0;
    while (same < old.length && same < chars.length && old[same] === chars[same]) same++;
    if (same === old.length && same === chars.length) return this.moveTo(cursor);
    this.moveTo(same);
    const rest = chars.slice(same);
    const erase = textColumns(old.slice(same)) > textColumns(rest) ? '\x1b[K' : '';
    this.sink.echo(rest.join('') + erase + left(textColumns(chars.slice(cursor))));
    this.line = chars;
    this.cursor = cursor;
  }

  private moveTo(pos: number): void {
    const p = Math.max(0, Math.min(this.line.length, pos));
    if (p < this.cursor) this.sink.echo(left(textColumns(this.line.slice(p, this.cursor))));
    else if (p > this.cursor) this.sink.echo(right(textColumns(this.line.slice(this.cursor, p))));
    this.cursor = p;
  }

  private clearScreen(): void {
    this.sink.echo('\x1b[H\x1b[2J' + this.line.join('') + left(textColumns(this.line.slice(this.cursor))));
  }

  private recall(dir: -1 | 1): void {
    const next = this.historyAt + dir;
    if (next < 0 || next > this.history.length) return;
    this.historyAt = next;
    const chars = next === this.history.length ? [] : graphemes(this.history[next]!);
    this.edit(chars, chars.length);
  }

  private enter(): void {
    this.moveTo(this.line.length);
    this.sink.echo('\r\n');
    this.flush(true);
  }

  private flush(newline: boolean): void {
    const text = this.line.join('');
    if (newline && text.length > 0 && this.history.at(-1) !== text) {
      this.history.push(text);
      if (this.history.length > HISTORY) this.history.shift();
    }
    this.historyAt = this.history.length;
    this.line = [];
    this.cursor = 0;
    this.sink.deliver(encoder.encode(newline ? `${text}\n` : text));
  }
}
