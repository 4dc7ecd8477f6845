/**
 * A cooked-mode line discipline, as a terminal driver does it (DESIGN §6), on the host side:
 * keystrokes from the terminal pane are edited into a line — echo, Backspace, Ctrl+U, ←/→,
 * Home/End, ↑/↓ history — and Enter delivers it to the app's stdin. Ctrl+D on an empty line ends
 * input; Ctrl+C interrupts the run.
 */

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
        const m = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(s);
        if (!m) {
          if (s.length < 8 && /^\x1b(\[[0-9;]*)?$/.test(s)) this.pendingEscape = s; // split sequence
          s = s.slice(this.pendingEscape ? s.length : 1);
          continue;
        }
        this.escape(m[1]!);
        s = s.slice(m[0].length);
        continue;
      }
      const ch = String.fromCodePoint(s.codePointAt(0)!);
      s = s.slice(ch.length);
      this.key(ch);
    }
  }

  private key(ch: string): void {
    switch (ch) {
      case '\r':
      case '\n':
        return this.enter();
      case '\x7f':
      case '\b':
        return this.backspace();
      case '\x15':
        return this.killLine();
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
        if (ch < ' ' || ch === '\x7f' || (ch >= '\x80' && ch <= '\x9f')) return; // other controls do nothing
        this.insert(ch);
    }
  }

  private escape(seq: string): void {
    switch (seq) {
      case '[D': case 'OD': return this.moveTo(this.cursor - 1);
      case '[C': case 'OC': return this.moveTo(this.cursor + 1);
      case '[H': case 'OH': case '[1~': return this.moveTo(0);
      case '[F': case 'OF': case '[4~': return this.moveTo(this.line.length);
      case '[A': case 'OA': return this.recall(-1);
      case '[B': case 'OB': return this.recall(1);
      case '[3~': return this.deleteForward();
      default: return; // function keys and the like are not input in cooked mode
    }
  }

  private insert(ch: string): void {
    const rest = this.line.slice(this.cursor);
    this.line.splice(this.cursor, 0, ch);
    this.cursor++;
    this.sink.echo(ch + rest.join('') + (rest.length ? `\x1b[${rest.length}D` : ''));
  }

  private backspace(): void {
    if (this.cursor === 0) return;
    this.cursor--;
    this.line.splice(this.cursor, 1);
    const rest = this.line.slice(this.cursor).join('');
    this.sink.echo(`\b${rest} \x1b[${rest.length + 1}D`);
  }

  private deleteForward(): void {
    if (this.cursor >= this.line.length) return;
    this.line.splice(this.cursor, 1);
    const rest = this.line.slice(this.cursor).join('');
    this.sink.echo(`${rest} \x1b[${rest.length + 1}D`);
  }

  private killLine(): void {
    this.replaceLine([]);
  }

  private moveTo(pos: number): void {
    const p = Math.max(0, Math.min(this.line.length, pos));
    if (p < this.cursor) this.sink.echo(`\x1b[${this.cursor - p}D`);
    else if (p > this.cursor) this.sink.echo(`\x1b[${p - this.cursor}C`);
    this.cursor = p;
  }

  private replaceLine(chars: string[]): void {
    this.moveTo(0);
    this.sink.echo('\x1b[K' + chars.join(''));
    this.line = chars;
    this.cursor = chars.length;
  }

  private recall(dir: -1 | 1): void {
    const next = this.historyAt + dir;
    if (next < 0 || next > this.history.length) return;
    this.historyAt = next;
    this.replaceLine(next === this.history.length ? [] : [...this.history[next]!]);
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
