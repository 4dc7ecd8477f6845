/**
 * "Did you mean …?" for a mistyped command, option or app name: the known names closest to what
 * was typed, only when they are close (a typo, a swapped pair, a missing letter), never a guess.
 */

/** Edit distance with adjacent swaps counted as one edit (optimal string alignment), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = Array.from(a.toLowerCase());
  const t = Array.from(b.toLowerCase());
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

/** The most edits that still count as a typo of a word of `length` characters. */
function closeEnough(length: number): number {
  return length <= 3 ? 1 : length <= 6 ? 2 : 3;
}

/**
 * The names in `known` that `typed` is probably a typo of, closest first (at most three): within
 * a few edits for its length, or the only name that starts with it (three letters or more).
 */
export function suggestions(typed: string, known: Iterable<string>): string[] {
  const names = [...new Set(known)].filter((n) => n !== typed);
  const scored = names.map((n) => ({ n, d: editDistance(typed, n) })).filter((x) => x.d <= closeEnough(Math.min(typed.length, x.n.length)));
  if (scored.length === 0 && Array.from(typed).length >= 3) {
    const starts = names.filter((n) => n.toLowerCase().startsWith(typed.toLowerCase()));
    if (starts.length === 1) return starts;
  }
  const best = Math.min(...scored.map((x) => x.d));
  return scored.filter((x) => x.d === best).map((x) => x.n).sort().slice(0, 3);
}

/** `; did you mean "x"?` (or `"x" or "y"`), or '' when nothing is close. `show` writes a name for the terminal. */
export function didYouMean(typed: string, known: Iterable<string>, show: (name: string) => string = (n) => n): string {
  const s = suggestions(typed, known);
  if (s.length === 0) return '';
  return `; did you mean ${s.map((n) => `"${show(n)}"`).join(' or ')}?`;
}

/**
 * Adds "did you mean" to a `not-found` error about the app `typed` (any error with that `code`),
 * naming the installed apps close to it; other errors pass unchanged.
 */
export function withAppSuggestion(err: unknown, typed: string | undefined, names: () => string[], show: (name: string) => string): unknown {
  if (typed !== undefined && err instanceof Error && (err as { code?: unknown }).code === 'not-found') err.message += didYouMean(typed, names(), show);
  return err;
}
