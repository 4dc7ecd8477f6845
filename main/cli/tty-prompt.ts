/**
 * Permission prompts on the controlling terminal (DESIGN §5), for `terrarium run APP` in ask mode.
 * One key answers (o, a, d, n, e, s; the terminal is read in raw mode, and the question says no
 * Enter is needed). Input waiting on the terminal once the question is drawn is thrown away, so
 * keystrokes typed before the question appeared cannot answer it.
 *
 * Ambient Authority: opens /dev/tty.
 */
import fs from 'node:fs';
import type { AskOperation, Choice, ChoicePrompter } from '../api/terminal-prompt.ts';
import { isTerminal } from '../api/terminal-run.ts';
import { TERMINAL_RESET, answeredText, keyChoice, parseChoice, promptText } from './tty-screen.ts';

/** Each operation in words, after "wants to" (every AskOperation, so a new one cannot be left out). */
const VERBS: Record<AskOperation, string> = {
  read: 'read', list: 'list the folder', write: 'write to', truncate: 'erase and rewrite', create: 'create',
  delete: 'delete', link: 'make a lasting hard link with', rename: 'move or rename', 'set-times': 'change the dates of',
};

function discardPending(): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync('/dev/tty', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const buf = Buffer.alloc(4096);
    for (let i = 0; i < 1024; i++) if (fs.readSync(fd, buf) <= 0) break;
  } catch {
    // EAGAIN: nothing was waiting.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** How long a terminal prompt waits before it denies: $TERRARIUM_PROMPT_TIMEOUT seconds, or 60. */
export function promptTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.TERRARIUM_PROMPT_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 60_000;
}

/**
 * Whether the app's output (fd 1) goes to a pipe or a socket (`| tee`, `| less`): its reader draws
 * it on the terminal whenever it gets to it, so after a question drawn meanwhile, which an app's
 * look-alike question could then cover (docs/design/secreview2.md, hole 5).
 */
export function outputPiped(): boolean {
  try {
    const s = fs.fstatSync(1);
    return s.isFIFO() || s.isSocket();
  } catch {
    return false; // no fd 1: nothing draws it later
  }
}

/**
 * A prompter on /dev/tty, or null when there is no terminal to ask on, or when the app's output is
 * piped (outputPiped: the question would not be the last thing drawn). The question is drawn
 * after TERMINAL_RESET (see tty-screen.ts), and only input typed after it was drawn answers it.
 */
export function ttyPrompter(timeoutMs = promptTimeoutMs()): ChoicePrompter | null {
  // Asked of fds 0 and 2, not of process.stdin and stderr: making those streams, and loading
  // node:tty with node:net for a fd that is no terminal, cost every run APP ~2–4 ms (issue 14.2).
  if (process.platform === 'win32' || !isTerminal(0) || !isTerminal(2) || outputPiped()) return null;
  return async (q, insistent) => {
    const fd = fs.openSync('/dev/tty', 'r+');
    // The app's own stdin pump reads the same terminal: hold it while the person answers.
    process.stdin.pause();
    const input = new (process.getBuiltinModule('node:tty').ReadStream)(fd); // node:tty: loaded only to ask
    // One key answers (raw mode): no Enter needed. A terminal that refuses raw mode reads a line.
    let oneKey = true;
    try {
      input.setRawMode(true);
    } catch {
      oneKey = false;
    }
    try {
      fs.writeSync(fd, TERMINAL_RESET + promptText(q, VERBS[q.operation], insistent, timeoutMs, oneKey));
      discardPending();
      const answer = await new Promise<{ choice: Choice | null; typed: boolean }>((resolve) => {
        const timer = setTimeout(() => resolve({ choice: null, typed: false }), timeoutMs);
        const onData = (chunk: Buffer): void => {
          const text = chunk.toString('utf8');
          const choice = oneKey ? keyChoice(text) : parseChoice(text);
          if (oneKey && choice === undefined) return; // another key, or a terminal's reply: keep waiting
          clearTimeout(timer);
          input.off('data', onData);
          resolve({ choice: choice ?? null, typed: true });
        };
        input.on('data', onData);
      });
      fs.writeSync(fd, answeredText(answer.choice, answer.typed));
      return answer.choice ?? 'deny';
    } finally {
      if (oneKey) input.setRawMode(false);
      input.destroy(); // closes fd
      process.stdin.resume();
    }
  };
}
