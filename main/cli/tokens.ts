/**
 * A command's words as the tokens `node:util` `parseArgs` gives with `strict: false`,
 * `allowPositionals` and `tokens` (its algorithm, step for step), without loading it: its first
 * call loads its internal modules and compiles them, ~0.4 ms of every start of the command
 * (issue 14.2). test/cli/tokens.test.ts holds the two to the same tokens for every form.
 */

/** What an option is: its value type and, for a few, a one-letter short form. */
export interface TokenOption {
  type: 'boolean' | 'string';
  short?: string;
}

/** One word (or one letter of a `-abc` group) of the command line. */
export type Token =
  | { kind: 'positional'; index: number; value: string }
  | { kind: 'option-terminator'; index: number }
  | { kind: 'option'; index: number; name: string; rawName: string; value: string | undefined; inlineValue: boolean | undefined };

/** The option called `short` (its own letter when none is). */
function longFor(short: string, options: Readonly<Record<string, TokenOption>>): string {
  for (const [name, o] of Object.entries(options)) if (o.short === short) return name;
  return short;
}

/** True when `name` is an option that takes a value. */
const takesValue = (name: string, options: Readonly<Record<string, TokenOption>>): boolean =>
  Object.hasOwn(options, name) && options[name]!.type === 'string';

/** `args` as parseArgs's tokens (see above); indexes are into `args`. */
export function tokenize(args: readonly string[], options: Readonly<Record<string, TokenOption>>): Token[] {
  const tokens: Token[] = [];
  const left = [...args];
  let index = -1;
  let grouped = 0;
  while (left.length > 0) {
    const arg = left.shift()!;
    const next = left[0];
    if (grouped > 0) grouped--;
    else index++;
    if (arg === '--') {
      tokens.push({ kind: 'option-terminator', index });
      for (const value of left) tokens.push({ kind: 'positional', index: ++index, value });
      break;
    }
    const short = arg.length > 1 && arg.charAt(0) === '-' && arg.charAt(1) !== '-';
    if (short && arg.length === 2) {
      const name = longFor(arg.charAt(1), options);
      const value = takesValue(name, options) && next !== undefined ? left.shift() : undefined;
      tokens.push({ kind: 'option', name, rawName: arg, index, value, inlineValue: value === undefined ? undefined : false });
      if (value !== undefined) index++;
      continue;
    }
    if (short && !takesValue(longFor(arg.charAt(1), options), options)) {
      // -abc: one token per letter, at this word's index; a letter that takes a value takes the rest.
      const expanded: string[] = [];
      for (let i = 1; i < arg.length; i++) {
        const letter = arg.charAt(i);
        if (!takesValue(longFor(letter, options), options) || i === arg.length - 1) {
          expanded.push(`-${letter}`);
        } else {
          expanded.push(`-${arg.slice(i)}`);
          break;
        }
      }
      left.unshift(...expanded);
      grouped = expanded.length;
      continue;
    }
    if (short) {
      const letter = arg.charAt(1);
      tokens.push({ kind: 'option', name: longFor(letter, options), rawName: `-${letter}`, index, value: arg.slice(2), inlineValue: true });
      continue;
    }
    if (arg.length > 2 && arg.startsWith('--') && !arg.includes('=', 3)) {
      const name = arg.slice(2);
      const value = takesValue(name, options) && next !== undefined ? left.shift() : undefined;
      tokens.push({ kind: 'option', name, rawName: arg, index, value, inlineValue: value === undefined ? undefined : false });
      if (value !== undefined) index++;
      continue;
    }
    if (arg.length > 2 && arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq);
      tokens.push({ kind: 'option', name, rawName: `--${name}`, index, value: arg.slice(eq + 1), inlineValue: true });
      continue;
    }
    tokens.push({ kind: 'positional', index, value: arg });
  }
  return tokens;
}
