/**
 * An app's per-run arguments, read back from its run history for "Run with arguments…": a run's
 * stored arguments are its default ones followed by the ones given for that run.
 */
import type { AppDetails, GrantRecord } from '../../../preload/api.ts';
import { joinWords } from '../../../preload/words.ts';

/**
 * The arguments given per run in `history` (newest first), as text, newest first and each once:
 * a run's stored arguments are the default ones then the given ones, so the defaults are taken
 * off; runs given none are left out.
 */
export function argumentHistory(history: AppDetails['history'], defaults: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const r of history) {
    const given = defaults.every((d, i) => r.args[i] === d) ? r.args.slice(defaults.length) : r.args;
    if (given.length > 0) seen.add(joinWords(given));
  }
  return [...seen];
}

/** The default arguments among an app's grants (what every run gets first). */
export function defaultArguments(grants: readonly GrantRecord[]): string[] {
  for (const g of grants) if (g.kind === 'args') return [...g.args];
  return [];
}
