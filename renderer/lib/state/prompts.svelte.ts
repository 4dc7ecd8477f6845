/**
 * Permission prompts (DESIGN §5): questions from running apps, queued oldest first and shown one
 * at a time in Terrarium's own modal (never in a terminal pane). Prompts already open when the page
 * loaded come from `prompt.pending`; `prompt.closed` removes a prompt answered in another window
 * or expired.
 */
import type { PromptAnswer, PromptRequest } from '../../../preload/api.ts';
import { ApiFailure, on, request } from '../api.ts';
import { errorMessage, status } from './status.svelte.ts';

/** How many closed prompt ids are remembered, so a late `prompt.pending` answer cannot revive one. */
const CLOSED_LIMIT = 256;

/** The open prompts of every run, and the person's answers to them. */
export class Prompts {
  queue = $state<PromptRequest[]>([]);
  /** The prompt whose answer is on its way to main (its buttons do nothing meanwhile). */
  answering = $state<string | null>(null);
  private readonly closed = new Set<string>();

  /** The prompt on show: the oldest open one. */
  get current(): PromptRequest | null {
    return this.queue[0] ?? null;
  }

  /** Whether a prompt is on screen (terminals take no input meanwhile). */
  get open(): boolean {
    return this.queue.length > 0;
  }

  /** Subscribes to prompt events and fetches the prompts opened before the page loaded. */
  listen(): void {
    on('prompt.request', (p) => this.add(p));
    on('prompt.closed', (e) => this.remove(e.promptId));
    void request('prompt.pending', {})
      .then((list) => {
        for (const p of list) this.add(p);
      })
      .catch((err: unknown) => status.announce(`Could not fetch waiting permission questions: ${errorMessage(err)}`, 'error'));
  }

  /** Sends the person's answer to the current prompt. */
  async answer(promptId: string, answer: PromptAnswer): Promise<void> {
    if (this.answering === promptId) return;
    this.answering = promptId;
    try {
      await request('prompt.answer', { promptId, answer });
      this.remove(promptId);
    } catch (err) {
      if (err instanceof ApiFailure && err.code === 'no-prompt') {
        this.remove(promptId);
        status.announce('That question was already answered or has expired.', 'info');
      } else {
        status.announce(`Could not send the answer: ${errorMessage(err)}`, 'error');
      }
    } finally {
      if (this.answering === promptId) this.answering = null;
    }
  }

  private add(p: PromptRequest): void {
    if (this.closed.has(p.promptId) || this.queue.some((q) => q.promptId === p.promptId)) return;
    this.queue.push(p);
  }

  private remove(promptId: string): void {
    this.closed.add(promptId);
    if (this.closed.size > CLOSED_LIMIT) this.closed.delete(this.closed.values().next().value!);
    const i = this.queue.findIndex((q) => q.promptId === promptId);
    if (i >= 0) this.queue.splice(i, 1);
  }
}

export const prompts = new Prompts();
