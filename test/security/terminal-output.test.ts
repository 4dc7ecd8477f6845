/**
 * A hostile guest's output through the window's terminal (DESIGN §8), attacks that hold: the real
 * xterm.js 6 parser (@xterm/headless, the same parser as the window's @xterm/xterm) with the
 * window's own hooks (renderer/lib/terminal/harden.ts). Each attack is written twice, unhardened
 * first (the control: it does act there, so the test can fail) and hardened.
 */
import { Terminal } from '@xterm/headless';
import { describe, expect, test } from 'vitest';
import { hardenParser, linkHandler, safeLink } from '../../renderer/lib/terminal/harden.ts';
import { sanitizePaste } from '../../renderer/lib/util/sanitize.ts';

const ESC = '\x1b';
const BEL = '\x07';
const ST = `${ESC}\\`;

/** What `output` makes the terminal do: the input it answers with, and the titles it sets. */
async function effects(output: string[], harden: boolean): Promise<{ replies: string[]; titles: string[] }> {
  const term = new Terminal({ allowProposedApi: true, cols: 80, rows: 24 });
  if (harden) hardenParser(term as unknown as Parameters<typeof hardenParser>[0]);
  const replies: string[] = [];
  const titles: string[] = [];
  term.onData((d) => replies.push(d));
  term.onTitleChange((t) => titles.push(t));
  for (const s of output) await new Promise<void>((r) => term.write(s, r));
  term.dispose();
  return { replies, titles };
}

describe('guest output', () => {
  test('cannot set the window or tab title, in 7-bit or 8-bit (C1) form', async () => {
    const out = [`${ESC}]0;sudo password:${BEL}`, `${ESC}]2;Terrarium asks${ST}`, `\u009d1;icon\u009c`, `\u009d2;c1 title${BEL}`];
    expect((await effects(out, false)).titles).toEqual(['sudo password:', 'Terrarium asks', 'c1 title']);
    expect((await effects(out, true)).titles).toEqual([]);
  });

  test('cannot make the terminal type a setting back as input (DECRQSS), nor ask for window reports', async () => {
    const out = [`${ESC}P$qm${ST}`, `${ESC}P$q"p${ST}`, `\u0090$qr\u009c`, `${ESC}[21t`, `${ESC}[14t`, `${ESC}[18t`, `\u009b18t`, `${ESC}]11;?${BEL}`, `${ESC}]4;1;?${ST}`];
    expect((await effects(out, false)).replies.length).toBeGreaterThan(0);
    expect((await effects(out, true)).replies).toEqual([]);
  });

  test('device-status replies are kept and carry nothing the guest wrote', async () => {
    const out = [`${ESC}[c`, `${ESC}[>c`, `${ESC}[6n`, `${ESC}[?2004$p`];
    expect((await effects(out, true)).replies).toEqual([`${ESC}[?1;2c`, `${ESC}[>0;276;0c`, `${ESC}[1;1R`, `${ESC}[?2004;2$y`]);
  });

  test('OSC 52 (clipboard) in any form sets off nothing: no reply, no title', async () => {
    const out = [`${ESC}]52;c;${Buffer.from('rm -rf ~\n').toString('base64')}${BEL}`, `${ESC}]52;c;?${BEL}`, `\u009d52;p;?\u009c`, `${ESC}]0052;c;?${ST}`];
    expect(await effects(out, true)).toEqual({ replies: [], titles: [] });
  });
});

describe('a link the guest prints (OSC 8)', () => {
  test('reaches the opener only as a plain https URL', () => {
    const opened: string[] = [];
    const handler = linkHandler((u) => opened.push(u));
    expect(handler.allowNonHttpProtocols).toBe(false);
    for (const text of ['file:///etc/passwd', 'javascript:alert(1)', 'http://example.com/', 'https://user:pw@example.com/', 'data:text/html,x', 'app://terrarium/index.html', '\u202ehttps://example.com', 'https://example.com/ok']) {
      handler.activate({} as MouseEvent, text, undefined as never);
    }
    expect(opened).toEqual(['https://example.com/ok']);
    // A lookalike host is shown as the browser would reach it (punycode), never as drawn.
    expect(safeLink('https://\u0435xample.com/')).toBe('https://xn--xample-2of.com/');
  });
});

describe('a paste', () => {
  test('cannot end bracketed paste early or carry escape sequences', () => {
    const clip = `ls\x1b[201~\rrm -rf ~\r\x1b]52;c;?\x07\u009b31m\u0085x\ty`;
    expect(sanitizePaste(clip)).toBe('ls[201~\rrm -rf ~\r]52;c;?31mx\ty');
  });
});
