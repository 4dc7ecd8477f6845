/**
 * What the terminal prompt writes (issue 9, point 4). The app writes to the same terminal, so
 * before the question Terrarium undoes whatever state its output left the terminal in, then draws
 * the question on a clean line at the bottom of the screen:
 *
 * - CAN ends any escape sequence or string in progress (OSC, DCS, APC, PM, SOS, CSI) without
 *   carrying it out, and ST ends one in a terminal that ignores CAN there;
 * - the normal screen (the alternate one is left), synchronized output off;
 * - attributes (concealed, colours, reverse) reset, the ASCII character set in G0 and shifted in,
 *   insert mode off, reverse-video screen off, auto-wrap on, the cursor shown;
 * - left/right margin mode off (DECLRMM, which also restores full-width margins: docs/design/
 *   secreview2.md hole 4), origin mode off and the scroll region the whole screen (these move the
 *   cursor home, hence the move below);
 * - normal cursor keys and keypad, and the kitty keyboard protocol's flags popped, so the keys
 *   that answer arrive as plain characters;
 * - the palette and the default colours reset (OSC 104, 110, 111, 112), so the text cannot be
 *   drawn in a colour made equal to the background;
 * - the cursor to the bottom line, and a new line (the screen scrolls up, nothing is overwritten).
 *
 * The question is distinguishable from anything the app printed when the app's output goes to the
 * terminal itself (with its output piped, another program draws it later, so nothing is asked:
 * tty-prompt.ts `outputPiped`): the app is paused while it is on screen (its worker waits for the answer and all it wrote before asking is already out), so the
 * real question is always the last thing drawn, at the bottom, under a rule that says everything
 * above it is the app's; input typed before it was drawn is thrown away, so an app's look-alike
 * question answered early answers nothing. A full-screen app's screen state is lost by the reset;
 * it can redraw after the answer.
 */
import { type Choice, QUICK_ANSWERS, QUICK_WINDOW_MS, type Question, promptSafe } from '../api/terminal-prompt.ts';

const ESC = '\x1b';
const ST = `${ESC}\\`;

/** Puts the terminal back into a state where text written next is shown plainly (see above). */
export const TERMINAL_RESET = [
  `\x18${ST}`,
  `${ESC}[?1049l${ESC}[?1047l${ESC}[?47l${ESC}[?2026l`,
  `${ESC}[0m\x0f${ESC}(B${ESC}[4l${ESC}[?5l${ESC}[?7h${ESC}[?25h`,
  `${ESC}[?69l${ESC}[?6l${ESC}[r`,
  `${ESC}[?1l${ESC}>${ESC}[<u`,
  `${ESC}]104${ST}${ESC}]110${ST}${ESC}]111${ST}${ESC}]112${ST}`,
  `${ESC}[9999;1H\r\n${ESC}[2K`,
].join('');

/**
 * What Terrarium writes for its own message `line` after an app ran (the run's outcome, a crash):
 * on a terminal, after TERMINAL_RESET, so the app cannot leave it concealed, coloured away, in the
 * alternate screen or inside an unterminated sequence; elsewhere (a pipe, a file) as it is.
 */
export function terrariumNotice(line: string, terminal: boolean): string {
  return terminal ? TERMINAL_RESET + line : line;
}

/** The rule above every question. */
export const PROMPT_RULE = '── terrarium asks · the app is paused · everything above this line is the app\'s ──';

interface Key {
  key: string;
  word: string;
  choice: Choice;
  label: string;
}

const ACCESS_KEYS: readonly Key[] = [
  { key: 'o', word: 'once', choice: 'allow-once', label: '[o]nce' },
  { key: 'a', word: 'always', choice: 'allow-always', label: '[a]lways' },
  { key: 'd', word: 'deny', choice: 'deny', label: '[d]eny' },
  { key: 'n', word: 'never', choice: 'deny-always', label: '[n]ever ask again' },
];
const RUN_KEYS: readonly Key[] = [
  { key: 'e', word: 'else', choice: 'deny-run', label: 'deny [e]verything else from this run' },
  { key: 's', word: 'stop', choice: 'stop-run', label: '[s]top this run' },
];

const labels = (keys: readonly Key[]): string => keys.map((k) => k.label).join('  ');

/**
 * The question as written after TERMINAL_RESET: the app, `verb` and path; the app's reason; the
 * answers with their keys (those about the whole run first when `insistent`); the time limit.
 */
export function promptText(q: Question, verb: string, insistent: boolean, timeoutMs: number, oneKey = false): string {
  const lines = [PROMPT_RULE, `terrarium: ${promptSafe(q.appName, 60)} wants to ${verb} ${promptSafe(q.path)}`];
  if (q.reason) lines.push(`  (it says: ${promptSafe(q.reason, 200)})`);
  if (insistent) {
    lines.push(
      `  It keeps asking (${QUICK_ANSWERS + 1} or more questions within ${QUICK_WINDOW_MS / 1000} s).`,
      `  For the whole run: ${labels(RUN_KEYS)}`,
      `  For this path only: ${labels(ACCESS_KEYS)}`,
    );
  } else {
    lines.push(`  ${labels(ACCESS_KEYS)}`, `  For the whole run: ${labels(RUN_KEYS)}`);
  }
  lines.push(`  ${oneKey ? 'press one key, no Enter needed · ' : ''}(no answer in ${Math.round(timeoutMs / 1000)} s: deny) > `);
  return lines.join('\r\n');
}

/**
 * The choice a typed line means, or null for anything else (then the answer is deny). A line with
 * a control character in it (a terminal's reply to a query the app sent, say) is no answer.
 */
export function parseChoice(line: string): Choice | null {
  const word = line.replace(/\r?\n$/, '').trim().toLowerCase();
  if (/[\p{Cc}\p{Cf}]/u.test(word)) return null;
  return [...ACCESS_KEYS, ...RUN_KEYS].find((k) => word === k.key || word === k.word)?.choice ?? null;
}

/**
 * What one read from the terminal means when it is read a key at a time (raw mode): a choice;
 * null (deny) for Enter, Escape or Ctrl+D; stop the run for Ctrl+C (raw mode turns it into a key);
 * undefined (keep waiting) for any other key, or a terminal's reply to a query the app sent.
 * A key with Enter after it (typed quickly, or pasted) counts as the key; so does a whole word.
 */
export function keyChoice(chunk: string): Choice | null | undefined {
  if (chunk === '\x03') return 'stop-run';
  if (chunk === '\r' || chunk === '\n' || chunk === '\x04' || chunk === '\x1b') return null;
  const word = chunk.replace(/[\r\n]+$/, '');
  if (/[\p{Cc}\p{Cf}]/u.test(word)) return undefined;
  return parseChoice(word) ?? undefined;
}

/** What is written after the answer. */
export function answeredText(choice: Choice | null, typed: boolean): string {
  if (choice === null) return typed ? '  denied\r\n' : '\r\n  no answer: denied\r\n';
  switch (choice) {
    case 'allow-once':
    case 'allow-always':
      return '  allowed\r\n';
    case 'deny-run':
      return '  denied, and everything else this run asks is denied without asking\r\n';
    case 'stop-run':
      return '  denied; stopping the run\r\n';
    default:
      return '  denied\r\n';
  }
}
