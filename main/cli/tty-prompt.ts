/**
 * Permission prompts on the controlling terminal (DESIGN §5), for `terrarium run APP` in ask mode.
 * Input already waiting on the terminal is thrown away first, so keystrokes typed before the
 * question appeared cannot answer it.
 *
 * Ambient Authority: opens /dev/tty.
 */
import fs from 'node:fs';
import tty from 'node:tty';
import type { Answer, Prompter } from '../launcher/asking.ts';
import { promptSafe } from '../launcher/prompt-text.ts';
import type { AskOperation } from '../runtime/ask.ts';

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

/** A prompter on /dev/tty, or null when there is no terminal to ask on. */
export function ttyPrompter(timeoutMs = promptTimeoutMs()): Prompter | null {
  if (process.platform === 'win32' || !process.stdin.isTTY || !process.stderr.isTTY) return null;
  return async (q) => {
    discardPending();
    const fd = fs.openSync('/dev/tty', 'r+');
    const why = q.reason ? `\n  (it says: ${promptSafe(q.reason, 200)})` : '';
    fs.writeSync(fd, `\nterrarium: ${promptSafe(q.appName, 60)} wants to ${VERBS[q.operation]} ${promptSafe(q.path)}${why}\n  [o]nce  [a]lways  [d]eny  [n]ever ask again  (no answer in ${Math.round(timeoutMs / 1000)} s: deny) > `);
    // The app's own stdin pump reads the same terminal: hold it while the person answers.
    process.stdin.pause();
    const input = new tty.ReadStream(fd);
    try {
      const word = await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve(''), timeoutMs);
        input.once('data', (chunk: Buffer) => {
          clearTimeout(timer);
          resolve(chunk.toString('utf8').trim().toLowerCase());
        });
      });
      const answer: Answer = word === 'o' || word === 'once' ? 'allow-once' : word === 'a' || word === 'always' ? 'allow-always' : word === 'n' || word === 'never' ? 'deny-always' : 'deny';
      fs.writeSync(fd, answer.startsWith('allow') ? '  allowed\n' : word === '' ? '\n  no answer: denied\n' : '  denied\n');
      return answer;
    } finally {
      input.destroy(); // closes fd
      process.stdin.resume();
    }
  };
}
