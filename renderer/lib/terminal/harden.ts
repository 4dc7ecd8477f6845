/**
 * Terminal output and pastes are untrusted (DESIGN §8). What this module neutralises, on xterm.js 6:
 * clipboard writes (OSC 52; the clipboard addon is never loaded), title and window manipulation
 * (OSC 0/1/2, CSI … t), colour and setting queries whose replies would arrive as typed input
 * (OSC 4/10/11/12 with "?", DECRQSS), OSC 8 links other than https, and control characters in
 * pasted text. Device-status replies (CSI 5n / 6n, DA) are kept: full-screen programs wait for them.
 */
import type { IDisposable, ILinkHandler, Terminal } from '@xterm/xterm';
import { sanitizePaste } from '../util/sanitize.ts';

const swallow = (): boolean => true;

/** The https URL `text` names, or null for anything else (file:, javascript:, http:, junk). */
export function safeLink(text: string): string | null {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' && u.username === '' && u.password === '' ? u.href : null;
  } catch {
    return null;
  }
}

/** The `linkHandler` option: only https links reach `open` (which asks the person first). */
export function linkHandler(open: (url: string) => void): ILinkHandler {
  return {
    allowNonHttpProtocols: false,
    activate(_event, text) {
      const url = safeLink(text);
      if (url) open(url);
    },
  };
}

/** Registers the parser hooks on `term`; dispose them with the terminal. */
export function hardenParser(term: Terminal): IDisposable[] {
  const p = term.parser;
  const queryOnly = (data: string): boolean => data.includes('?');
  return [
    p.registerOscHandler(52, swallow),
    p.registerOscHandler(0, swallow),
    p.registerOscHandler(1, swallow),
    p.registerOscHandler(2, swallow),
    ...[4, 10, 11, 12].map((n) => p.registerOscHandler(n, queryOnly)),
    p.registerCsiHandler({ final: 't' }, swallow),
    p.registerDcsHandler({ intermediates: '$', final: 'q' }, swallow),
  ];
}

/**
 * Takes over pasting into `term` (opened in `el`): the text is sanitised here and handed to
 * `send`, so xterm's own paste path (which passes control characters through) never sees it.
 * Returns the function that removes the hook.
 */
export function interceptPaste(el: HTMLElement, send: (text: string) => void): () => void {
  const onpaste = (e: ClipboardEvent): void => {
    e.preventDefault();
    e.stopImmediatePropagation();
    const text = sanitizePaste(e.clipboardData?.getData('text/plain') ?? '');
    if (text) send(text);
  };
  el.addEventListener('paste', onpaste, { capture: true });
  return () => el.removeEventListener('paste', onpaste, { capture: true });
}
