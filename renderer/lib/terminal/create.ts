/**
 * An xterm.js terminal as the window's panes use it: options, the fit addon, the hardened parser
 * and the shared character widths. Creating and opening one costs the page 10-40 ms: a Run takes
 * the standby pane, whose terminal was made ahead of time (`Runs.standby`), instead of making one.
 */
import { FitAddon } from '@xterm/addon-fit';
import { type IDisposable, Terminal } from '@xterm/xterm';
import { hardenParser, linkHandler } from './harden.ts';
import { terminalTheme } from './theme.ts';
import { useSharedWidths } from './unicode.ts';

/** An opened terminal and what was attached to it at creation. */
export interface ReadyTerminal {
  term: Terminal;
  fit: FitAddon;
  /** The parser hooks (harden.ts): dispose them with the terminal. */
  hooks: IDisposable[];
}

/** A terminal opened in `host`, its links going to `openLink`. */
export function createTerminal(host: HTMLElement, openLink: (url: string) => void): ReadyTerminal {
  const term = new Terminal({
    convertEol: true,
    cursorBlink: true,
    fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--font-mono'),
    fontSize: 13,
    lineHeight: 1.25,
    scrollback: 5000,
    ignoreBracketedPasteMode: true,
    allowProposedApi: true,
    cursorInactiveStyle: 'block',
    minimumContrastRatio: 4.5,
    linkHandler: linkHandler(openLink),
    theme: terminalTheme(matchMedia('(prefers-color-scheme: dark)').matches),
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  const hooks = hardenParser(term);
  useSharedWidths(term);
  term.open(host);
  return { term, fit, hooks };
}

/** Printable ASCII, plain and bold, a row each (what most apps print first). */
const WIDTH_SAMPLE = (() => {
  let ascii = '';
  for (let c = 0x21; c < 0x7f; c++) ascii += String.fromCharCode(c);
  return `${ascii}\r\n\x1b[1m${ascii}\x1b[0m`;
})();

/**
 * Has `term` (fresh, shown or at least laid out) draw printable ASCII once and then resets it, so
 * that its renderer knows those characters' widths before a run's first output: xterm's DOM
 * renderer measures each character the first time it draws it, a forced layout per character, in
 * the frame meant to show the output (~4 ms for "hello" on the busy machine). Public API only
 * (write, onRender, reset). Returns `settle`: resets the terminal now if that has not happened yet
 * (call it before writing anything else to `term`; afterwards it does nothing).
 */
export function learnWidths(term: Terminal): () => void {
  let pending = true;
  let drawn: IDisposable | undefined;
  const settle = (): void => {
    if (!pending) return;
    pending = false;
    drawn?.dispose();
    term.reset();
  };
  term.write(WIDTH_SAMPLE, () => {
    if (pending) drawn = term.onRender(settle);
  });
  return settle;
}
