/**
 * "Run with arguments…" (issue 13.1): which app the dialog is open for and, from a terminal's
 * Re-run, the finished tab it runs again in. The app page, the tile menu and the status bar open it.
 */
import type { AppDetails, GrantRecord } from '../../../preload/api.ts';
import { joinWords } from '../../../preload/words.ts';
import { request } from '../api.ts';
import { type RunTab, runs } from './runs.svelte.ts';

/** What the dialog runs. */
export interface RunArgsTarget {
  app: { id: string; name: string };
  /** The finished tab whose Re-run opened the dialog: the run goes there instead of a new tab. */
  tab: RunTab | null;
}

/**
 * The arguments given per run in `history` (newest first), as text, newest first and each once:
 * a run's stored arguments are the default ones then the given ones, so the defaults are taken off.
 */
export function argumentHistory(history: AppDetails['history'], defaults: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const r of history) {
    const given = defaults.every((d, i) => r.args[i] === d) ? r.args.slice(defaults.length) : r.args;
    seen.add(joinWords(given));
  }
  return [...seen];
}

/** The default arguments among an app's grants (what every run gets first). */
export function defaultArguments(grants: readonly GrantRecord[]): string[] {
  for (const g of grants) if (g.kind === 'args') return [...g.args];
  return [];
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
