/**
 * The two answers about a whole run (DESIGN §5, issue 9 point 10), so that an app asking again
 * and again cannot lock the person out: "deny everything else from this run" (every further
 * ungranted access of the run is denied without asking, and audited as denied) and "stop this run".
 *
 * Quick succession: when the run's last QUICK_ANSWERS questions were all answered within the
 * QUICK_WINDOW_MS before the next one is asked (its third question in 10 seconds), that question
 * is marked insistent and the UIs offer these two answers first.
 */
import type { Answer, Prompter, Question } from './asking.ts';

/** An answer a prompt offers: one about this access, or one about the whole run. */
export type Choice = Answer | 'deny-run' | 'stop-run';

/** Answers counted for quick succession. */
export const QUICK_ANSWERS = 2;
/** How recent they must be (milliseconds before the next question). */
export const QUICK_WINDOW_MS = 10_000;

/** A UI's prompt: asks `q`, leading with the run answers when `insistent`; resolves to the choice. */
export type ChoicePrompter = (q: Question, insistent: boolean) => Promise<Choice>;

/**
 * The prompter of one run: puts questions to `ask` until the person denies everything else or
 * stops the run (`stop` cancels it); from then on it answers 'deny' without asking.
 */
export function runPrompter(ask: ChoicePrompter, stop: () => void, clock: () => number = Date.now): Prompter {
  let denyRest = false;
  const answeredAt: number[] = [];
  return async (q) => {
    if (denyRest) return 'deny';
    const now = clock();
    const insistent = answeredAt.length === QUICK_ANSWERS && answeredAt.every((t) => now - t <= QUICK_WINDOW_MS);
    const choice = await ask(q, insistent);
    answeredAt.push(clock());
    if (answeredAt.length > QUICK_ANSWERS) answeredAt.shift();
    if (choice === 'deny-run' || choice === 'stop-run') {
      denyRest = true;
      if (choice === 'stop-run') stop();
      return 'deny';
    }
    return choice;
  };
}
