/**
 * "Run with arguments…" (issue 13.1): which app the dialog is open for and, from a terminal's
 * Re-run, the finished tab it runs again in. The app page, the tile menu and the status bar open it.
 */
import { request } from '../api.ts';
import { argumentHistory, defaultArguments } from '../util/arg-history.ts';
import { type RunTab, runs } from './runs.svelte.ts';

/** What the dialog runs. */
export interface RunArgsTarget {
  app: { id: string; name: string };
  /** The finished tab whose Re-run opened the dialog: the run goes there instead of a new tab. */
  tab: RunTab | null;
}

/** The dialog's state. */
export class RunArgs {
  target = $state<RunArgsTarget | null>(null);

  /** Opens the dialog for `app` (from a finished `tab`'s Re-run, or for a new tab). */
  open(app: { id: string; name: string }, tab: RunTab | null = null): void {
    this.target = { app, tab };
  }

  close(): void {
    this.target = null;
  }

  /** The app's default arguments and the per-run arguments it was given before, newest first. */
  async load(appId: string): Promise<{ defaults: string[]; history: string[] }> {
    const d = await request('apps.get', { ref: appId });
    const defaults = defaultArguments(d.grants);
    return { defaults, history: argumentHistory(d.history, defaults) };
  }

  /** Runs the target with `args` after its defaults, then closes. */
  run(args: string[]): void {
    const t = this.target;
    if (!t) return;
    this.target = null;
    if (t.tab && !t.tab.live && runs.tabs.includes(t.tab)) {
      t.tab.args = args;
      void runs.rerun(t.tab);
    } else {
      runs.open(t.app, args);
    }
  }
}

export const runArgs = new RunArgs();
