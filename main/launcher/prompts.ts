/**
 * Permission prompts for the window (DESIGN §5): a question from a run becomes a `prompt.request`
 * event; the person's `prompt.answer` (from any window) settles it; no answer in time means deny.
 * Several prompts from several runs queue, each labelled with its run.
 */
import crypto from 'node:crypto';
import { type Question, grantAccessFor, grantFolderFor } from './asking.ts';
import type { LauncherEmit, PromptRequest } from './events.ts';
import { promptSafe } from './prompt-text.ts';
import type { Choice } from './run-answers.ts';
import { isoTime } from '../shared/iso-time.ts';

interface Pending {
  request: PromptRequest;
  settle: (a: Choice) => void;
  timer: NodeJS.Timeout;
}

/** The open prompts of every run. */
export class PromptBroker {
  private readonly open = new Map<string, Pending>();
  private readonly emit: LauncherEmit;
  private readonly timeoutMs: number;

  constructor(emit: LauncherEmit, timeoutMs = 60_000) {
    this.emit = emit;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Asks the person about `q` for run `runId` of app `appId`, leading with the answers about the
   * whole run when `insistent` (see run-answers.ts); resolves to the answer.
   */
  ask(q: Question, runId: string, appId: string, insistent = false): Promise<Choice> {
    const promptId = crypto.randomUUID();
    const request: PromptRequest = {
      promptId, runId, appId,
      appName: promptSafe(q.appName, 80),
      operation: q.operation,
      path: promptSafe(q.path),
      folder: promptSafe(grantFolderFor(q.operation, q.path)),
      grantAccess: grantAccessFor(q.operation),
      reason: q.reason === null ? null : promptSafe(q.reason, 200),
      expiresAt: isoTime(Date.now() + this.timeoutMs),
      insistent,
    };
    if (q.upgrade) {
      request.upgrade = promptSafe(q.upgrade.folder);
      request.folder = request.upgrade;
      request.grantAccess = 'read-write';
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer(promptId, 'deny'), this.timeoutMs);
      this.open.set(promptId, { request, settle: resolve, timer });
      this.emit('prompt.request', request);
    });
  }

  /** Settles a prompt; false if it is no longer open. */
  answer(promptId: string, answer: Choice): boolean {
    const p = this.open.get(promptId);
    if (!p) return false;
    this.open.delete(promptId);
    clearTimeout(p.timer);
    p.settle(answer);
    this.emit('prompt.closed', { promptId, answer });
    return true;
  }

  /** The prompts waiting for an answer, oldest first. */
  pending(): PromptRequest[] {
    return [...this.open.values()].map((p) => p.request);
  }

  /** Denies every prompt of a run that has ended. */
  endRun(runId: string): void {
    for (const p of [...this.open.values()]) if (p.request.runId === runId) this.answer(p.request.promptId, 'deny');
  }
}
