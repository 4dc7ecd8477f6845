/**
 * A terminal made ahead of time (issue 14.4, like main's spare worker): creating and opening an
 * xterm.js terminal costs 10-40 ms of the page's thread, and used to sit between a Run click and
 * its first byte on screen. The page keeps at most one opened terminal, parked hidden (made when
 * the page is idle, after the catalog shows); a new pane takes it and moves its element in, and a
 * replacement is made at the first idle moment after the run's first output is written (not while
 * it is awaited), or a second later. A pane that finds none creates one as before.
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

interface Spare extends ReadyTerminal {
  /** Where its links go (the pane that takes it sets this). */
  openLink: (url: string) => void;
  dark: boolean;
}

/** At the latest, how long after a pane takes the spare its replacement is made (once the page is idle). */
const REPLACE_AFTER_MS = 1000;
/** Longest wait for an idle moment before the spare is made anyway. */
const IDLE_TIMEOUT_MS = 5000;

let spare: Spare | null = null;
let scheduled = false;
/** The timer of a replacement planned for later, until it starts waiting for an idle moment. */
let delayed: ReturnType<typeof setTimeout> | undefined;
let lot: HTMLDivElement | null = null;
/** The size of the last pane's terminal area: the spare is parked at that size (no reflow when taken). */
let lastSize = { width: 800, height: 480 };

const darkScheme = (): boolean => matchMedia('(prefers-color-scheme: dark)').matches;

/** The hidden, inert place the spare waits in (laid out, so xterm can measure its font). */
function parkingLot(): HTMLDivElement {
  if (lot?.isConnected) return lot;
  lot = document.createElement('div');
  lot.dataset.testid = 'terminal-spare';
  lot.inert = true;
  lot.setAttribute('aria-hidden', 'true');
  lot.style.cssText = 'position:fixed;left:0;top:0;visibility:hidden;pointer-events:none;contain:strict;z-index:-1';
  document.body.appendChild(lot);
  return lot;
}

function create(parent: HTMLElement): Spare {
  const dark = darkScheme();
  const s = { dark, openLink: (_url: string) => undefined } as Spare;
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
    linkHandler: linkHandler((url) => s.openLink(url)),
    theme: terminalTheme(dark),
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  s.hooks = hardenParser(term);
  useSharedWidths(term);
  term.open(parent);
  s.term = term;
  s.fit = fit;
  return s;
}

/** Makes the spare at the page's first idle moment after `delayMs`, unless there is one (or one is planned). */
export function prepareSpare(delayMs = 0): void {
  if (spare) return;
  if (scheduled) {
    if (delayMs > 0 || !delayed) return;
    clearTimeout(delayed); // sooner than planned
  }
  scheduled = true;
  delayed = undefined;
  const make = (): void => {
    scheduled = false;
    if (spare) return;
    const parent = parkingLot();
    parent.style.width = `${lastSize.width}px`;
    parent.style.height = `${lastSize.height}px`;
    spare = create(parent);
    // Fitted to that size now, at idle: the pane that takes it finds it at its size (no resize,
    // no redraw of every row between the Run click and the first output).
    spare.fit.fit();
  };
  const whenIdle = (): void => {
    delayed = undefined;
    if (typeof requestIdleCallback === 'function') requestIdleCallback(make, { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(make, 200);
  };
  if (delayMs > 0) delayed = setTimeout(whenIdle, delayMs);
  else whenIdle();
}

/**
 * An opened terminal in `host`, its links going to `openLink`: the spare moved in if there is
 * one, else a new one; a replacement is planned (see `prepareSpare`).
 */
export function takeTerminal(host: HTMLElement, openLink: (url: string) => void): ReadyTerminal {
  if (host.clientWidth > 0 && host.clientHeight > 0) lastSize = { width: host.clientWidth, height: host.clientHeight };
  let s = spare;
  spare = null;
  if (s) {
    host.appendChild(s.term.element!);
    const dark = darkScheme();
    if (dark !== s.dark) s.term.options.theme = terminalTheme(dark);
  } else {
    s = create(host);
  }
  s.openLink = openLink;
  // Not at the page's next idle moment: that is while it waits for the run's first output. The
  // pane calls `prepareSpare` once that is written; this is for a run that prints nothing.
  prepareSpare(REPLACE_AFTER_MS);
  return { term: s.term, fit: s.fit, hooks: s.hooks };
}
