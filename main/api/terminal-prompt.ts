/**
 * What a terminal's own permission prompt (main/cli/tty-prompt.ts, tty-screen.ts) needs from the
 * core to draw a question and turn a key into an answer: the question's shape, the answers, the
 * quick-succession rule (launcher/run-answers.ts) and the one way to make app text safe to show
 * (launcher/prompt-text.ts). The window gets the same through the contract (`prompt.request`).
 * Pure: loads no runtime, no library.
 */
export type { Answer, Question } from '../launcher/asking.ts';
export { type Choice, type ChoicePrompter, QUICK_ANSWERS, QUICK_WINDOW_MS } from '../launcher/run-answers.ts';
export { promptSafe } from '../launcher/prompt-text.ts';
export type { AskOperation } from '../runtime/ask.ts';
