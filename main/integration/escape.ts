/**
 * Quoting for every file format the desktop integration writes. Each function returns text that,
 * read back by its consumer, yields exactly the input (or refuses input it cannot carry).
 */

import { safeText } from '../../preload/safe-text.ts';

/** C0 controls and DEL (and C1), which no generated file carries inside a value. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * `s` for names and descriptions shown in comments, titles and menus: controls become spaces, the
 * other unsafe characters (bidi overrides, line separators, non-characters…) visible `\u{…}`
 * escapes (preload/safe-text.ts), cut to `max` UTF-16 units at a grapheme boundary with `…`.
 */
export function oneLine(s: string, max = Number.POSITIVE_INFINITY): string {
  return safeText(s.replace(CONTROLS, ' ').trim(), max);
}

/** POSIX sh: one single-quoted word (a `'` closes the quote, is escaped, and reopens it). */
export function shQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * A Desktop Entry `string`/`localestring` value: `\\`, `\n`, `\t`, `\r` escapes, and `\s` for a
 * leading space (which readers would otherwise trim).
 */
export function desktopValue(s: string): string {
  const escaped = s.replace(/[\\\n\t\r]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c]!);
  return escaped.startsWith(' ') ? `\\s${escaped.slice(1)}` : escaped;
}

/** Characters that make a Desktop Entry `Exec` argument need double quotes (the spec's reserved set). */
const EXEC_RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * One argument of a Desktop Entry `Exec` key, before the value escaping above: quoted when it holds
 * a reserved character (inside quotes `"`, `` ` ``, `$` and `\` take a backslash), and `%` doubled
 * so it is never a field code.
 */
export function execArg(arg: string): string {
  if (/[\n\r]/.test(arg)) throw new Error('a Desktop Entry command cannot hold a line break');
  const quoted = arg === '' || EXEC_RESERVED.test(arg) ? `"${arg.replace(/["`$\\]/g, '\\$&')}"` : arg;
  return quoted.replaceAll('%', '%%');
}

/** A whole `Exec` value: its arguments quoted, then escaped as a string value (so `\"` becomes `\\"`). */
export function execLine(argv: readonly string[]): string {
  return desktopValue(argv.map(execArg).join(' '));
}

/** XML character data or an attribute value; controls XML 1.0 cannot carry become spaces. */
export function xmlText(s: string): string {
  return s.replace(CONTROLS, (c) => (c === '\t' || c === '\n' ? c : ' ')).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * One argument of a Windows command line as `CommandLineToArgvW` (and the C runtime) splits it:
 * quoted when needed, backslashes doubled only where they precede a quote.
 */
export function windowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let slashes = 0;
  for (const c of arg) {
    if (c === '\\') {
      slashes++;
      continue;
    }
    out += '\\'.repeat(c === '"' ? slashes * 2 + 1 : slashes) + c;
    slashes = 0;
  }
  return `${out}${'\\'.repeat(slashes * 2)}"`;
}

/**
 * One word of a `.cmd` batch line: always double-quoted with `%` doubled. A `"` or line break has no
 * safe spelling in cmd.exe, and cannot occur in a Windows path, so it is refused.
 */
export function cmdQuote(s: string): string {
  if (/["\r\n]/.test(s)) throw new Error(`cannot put ${JSON.stringify(s)} in a .cmd file`);
  return `"${s.replaceAll('%', '%%')}"`;
}
