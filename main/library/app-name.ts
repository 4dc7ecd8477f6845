/**
 * What an app may be called (issue 9): a name is shown in menus and terminals and put in file
 * names, so it is clean text, never a path. A name the person types is refused when it is not; a
 * name taken from a file, URL or package is made clean. The one place names are checked.
 */
import { cutText, replaceUnsafe, unsafeCharacter, visible } from '../../preload/safe-text.ts';
import { CodedError } from '../shared/coded-error.ts';

/** Longest app name, in UTF-16 units. */
export const APP_NAME_MAX = 100;

/** Why `name` (already trimmed) cannot be an app name, or null when it can. */
export function appNameProblem(name: string): string | null {
  if (name.length === 0) return 'it is empty';
  if (name.length > APP_NAME_MAX) return `it is longer than ${APP_NAME_MAX} characters`;
  const bad = unsafeCharacter(name);
  if (bad !== null) return `it contains the control or invisible character ${bad}`;
  if (/[/\\]/.test(name)) return 'it contains / or \\';
  if (name === '.' || name === '..') return `"${name}" is not a name`;
  return null;
}

/**
 * `name` trimmed and in Unicode's NFC (one spelling of each drawn name: `e` + U+0301 is `é`;
 * duplicates are found on `nameKey`, preload/safe-text.ts), or CodedError('bad-name') saying why
 * it cannot be an app name.
 */
export function checkAppName(name: string): string {
  const n = name.normalize('NFC').trim();
  const problem = appNameProblem(n);
  if (problem !== null) throw new CodedError('bad-name', `"${visible(name)}" cannot be an app name: ${problem}`);
  return n;
}

/**
 * A clean app name made from `raw` (a file name, the end of a URL, a package's name), in NFC: unsafe
 * characters become U+FFFD (visible, never acting), `/` and `\` dashes, at most APP_NAME_MAX units
 * cut at a grapheme boundary; `fallback` when nothing usable is left.
 */
export function appNameFrom(raw: string, fallback = 'app'): string {
  const name = cutText(replaceUnsafe(raw.normalize('NFC'), '\uFFFD').replace(/[/\\]/g, '-').trim(), APP_NAME_MAX).text.trim();
  return appNameProblem(name) === null ? name : fallback;
}
