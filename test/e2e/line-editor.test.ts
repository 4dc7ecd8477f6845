/**
 * The terminal's line editor in the window (issue 13, point 8): readline's word keys and editing
 * by grapheme cluster reach the app as the edited line, and a wide character (☕) takes two
 * columns in the window's terminal just as in the host's editor, so the cursor stays in place.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, seed, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, focusTerminal, terminalText, tile, visiblePane, waitForRun, waitForText } from '../helpers/e2e/ui.ts';

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
  const stdio = await seed(e.api, fixture('stdio.wasm'));
  await call(e.api, 'grants.add', { ref: stdio, grants: [{ kind: 'args', args: ['echo'] }] }); // copies stdin to stdout
  await e.page.reload();
  await tile(e.page, 'stdio').waitFor({ timeout: UI_TIMEOUT });
});
afterAll(async () => e?.close());

test('word keys, Ctrl+K and Backspace by grapheme deliver the edited line; ☕ takes two columns', async () => {
  const { page } = e;
  await tile(page, 'stdio').getByTestId('app-run').click();
  const pane = visiblePane(page);
  await waitForRun(pane, 'running');
  await focusTerminal(pane);

  await page.keyboard.type('one two three tail');
  await page.keyboard.press('Control+ArrowLeft');
  await page.keyboard.press('Control+k'); // "one two three "
  await page.keyboard.press('Control+w'); // "one two "
  await page.keyboard.press('Alt+Backspace'); // "one "
  await page.keyboard.insertText('x👍🏽');
  await page.keyboard.press('Backspace'); // the whole 👍🏽, not just its skin tone
  await page.keyboard.insertText('cafe\u0301');
  await page.keyboard.press('Backspace'); // é written as e + U+0301 goes at once
  await page.keyboard.press('Control+ArrowLeft'); // before "xcaf"
  await page.keyboard.type('[');
  await page.keyboard.press('Control+e');
  await page.keyboard.type(']');
  await page.keyboard.press('Enter');
  await waitForText(pane, 'one [xcaf]', 2); // the echo, then the app's copy of what it read

  // ☕ is two columns wide in the terminal too: two ← land before it, not on the "b"
  await page.keyboard.insertText('ab☕c');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('X');
  await page.keyboard.press('Enter');
  const text = await waitForText(pane, 'abX☕c', 2);
  expect(text).not.toContain('👍');
  expect(text).not.toContain('aX☕');

  await page.keyboard.press('Control+d');
  await waitForRun(pane, 'exited');
  expect(await terminalText(pane)).toContain('one [xcaf]');
});
