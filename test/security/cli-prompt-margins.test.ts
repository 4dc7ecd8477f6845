/**
 * Was a hole (docs/design/secreview2.md, hole 4; fixed in main/cli/tty-screen.ts TERMINAL_RESET): the CLI's
 * permission question (`terrarium run APP` in ask mode, main/cli/tty-prompt.ts) is drawn on the
 * terminal the app writes to, after TERMINAL_RESET (main/cli/tty-screen.ts) has undone what the
 * app's output could have left behind. It resets the top/bottom scroll region and origin mode but
 * not the left/right margins: an app that writes `CSI ? 69 h` (DECLRMM) and `CSI 75;80 s` (DECSLRM)
 * before asking keeps them in force (xterm, iTerm2, WezTerm and mlterm implement DECLRMM). The
 * question is then not drawn as the reset means it to be: its text wraps inside columns 75-80, and
 * a line feed scrolls only that strip (or, with the cursor left of the margin on the bottom row,
 * does not scroll at all, so each line of the question overwrites the one before). The look-alike
 * question the app painted in columns 1-74 ("editor wants to read ~/Pictures/cat.jpg") stays on
 * screen, full width, beside or above what is left of the real one ("…wants to read
 * /home/ann/.ssh/id_rsa"). The person answers the wrong question.
 *
 * Fix: TERMINAL_RESET resets DECLRMM (`CSI ? 69 l`, which also restores full-width margins) before
 * the scroll region and the cursor move. This test checks the reset's text (no terminal emulator
 * in the tree implements DECLRMM; @xterm/headless ignores it), and that the question follows it.
 */
import { expect, test } from 'vitest';
import { TERMINAL_RESET, promptText } from '../../main/cli/tty-screen.ts';

test('the reset before a terminal question ends left/right margin mode before the question is drawn', () => {
  const drawn = TERMINAL_RESET + promptText({ appName: 'editor', operation: 'read', path: '/home/ann/.ssh/id_rsa', reason: null }, 'read', false, 60_000, true);
  const margins = drawn.indexOf('\x1b[?69l');
  expect(margins, 'TERMINAL_RESET turns DECLRMM off').toBeGreaterThanOrEqual(0);
  expect(margins).toBeLessThan(drawn.indexOf('\x1b[9999;1H'));
  expect(margins).toBeLessThan(drawn.indexOf('terrarium: editor wants to read'));
});
