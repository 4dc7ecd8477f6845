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

/** Columns a character takes in a terminal: 2 for wide (CJK, emoji), 0 for combining marks. */
export function columns(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (/\p{M}/u.test(ch) || c === 0x200d) return 0;
  if (
    (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) || (c >= 0x1f900 && c <= 0x1f9ff) ||
    (c >= 0x1f680 && c <= 0x1f6ff) || (c >= 0x1fa70 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

const width = (chars: string[]): number => chars.reduce((n, c) => n + columns(c), 0);
const left = (n: number): string => (n > 0 ? `\x1b[${n}D` : '');
const right = (n: number): string => (n > 0 ? `\x1b[${n}C` : '');
/** A complete escape sequence at the start of the input: CSI, SS3, OSC (BEL or ST ended). */
const ESCAPE = /^\x1b(?:\[[0-9;?<>=]*[ -/]*[@-~]|O[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-NP-Z\\^_])/;
/** A prefix of one, cut at the end of a read. */
const PARTIAL = /^\x1b(?:\[[0-9;?<>=]*[ -/]*|O|\][^\x07\x1b]*\x1b?)?$/;

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
    this.sink.echo(ch + rest.join('') + left(width(rest)));
  }

  private backspace(): void {
    if (this.cursor === 0) return;
    this.cursor--;
    const [gone] = this.line.splice(this.cursor, 1);
    this.redrawAfterDelete(columns(gone!), true);
  }

  private deleteForward(): void {
    if (this.cursor >= this.line.length) return;
    const [gone] = this.line.splice(this.cursor, 1);
    this.redrawAfterDelete(columns(gone!), false);
  }

  /** Redraws the rest of the line after a character `w` columns wide was removed. */
  private redrawAfterDelete(w: number, before: boolean): void {
    const rest = this.line.slice(this.cursor);
    const blank = ' '.repeat(w);
    this.sink.echo((before ? left(w) : '') + rest.join('') + blank + left(width(rest) + w));
  }

  private killLine(): void {
    this.replaceLine([]);
  }

  private moveTo(pos: number): void {
    const p = Math.max(0, Math.min(this.line.length, pos));
    if (p < this.cursor) this.sink.echo(left(width(this.line.slice(p, this.cursor))));
    else if (p > this.cursor) this.sink.echo(right(width(this.line.slice(this.cursor, p))));
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
