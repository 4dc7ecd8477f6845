/**
 * The one command-line parser of `terrarium`, on `node:util` `parseArgs`'s tokens (./tokens.ts, the
 * same without loading it; every message is ours): a command's words are read against its
 * {@link CommandDef}.
 *
 * The rules, the same for every command:
 * - options are `--name`, `--name VALUE` or `--name=VALUE`; a value may start with `-`;
 * - `-h` is `--help`; any other single-dash word longer than `-x` (`-name`) is refused, pointing
 *   at `--name` when that is an option (no command takes short options, so `-name` is never
 *   silently read as `-n -a -m -e`);
 * - an unknown option, a switch given a value, a missing value or a single option given twice is
 *   a usage error that names it, with "did you mean" when an option is close;
 * - `--` ends the options: words after it are positionals (so an app name may start with `-`),
 *   or, for a command with `rest`, what follows its positional;
 * - a command with `rest` (run) stops reading options at its positional: the app's own flags follow.
 */
import type { CommandDef, Parsed } from './define.ts';
import { didYouMean } from './suggest.ts';
import { type TokenOption, tokenize } from './tokens.ts';
import { UsageError } from './usage-error.ts';

/** Parses `argv` (the words after the command's name) against `def`. */
export function parseCommand(def: CommandDef, argv: string[]): Parsed {
  const fail = (message: string): never => {
    throw new UsageError(message, def.name);
  };
  const options: Record<string, TokenOption> = {
    help: { type: 'boolean', short: 'h' },
    ...Object.fromEntries(Object.entries(def.options).map(([name, o]) => [name, { type: o.type }])),
  };
  const tokens = tokenize(argv, options);
  const out: Parsed = { options: [], positionals: [], rest: [], help: false };
  const known = Object.keys(def.options).map((n) => `--${n}`);
  for (const t of tokens) {
    if (t.kind === 'positional' || t.kind === 'option-terminator') {
      if (def.rest !== undefined) {
        // Options end here; the positional and the words for the app follow.
        const from = t.kind === 'positional' ? t.index : t.index + 1;
        const target = argv[from];
        if (target !== undefined) {
          out.positionals.push(target);
          const rest = argv.slice(from + 1);
          out.rest = rest[0] === '--' ? rest.slice(1) : rest;
        }
        break;
      }
      if (t.kind === 'positional') out.positionals.push(t.value);
      continue;
    }
    const word = argv[t.index]!;
    if (!word.startsWith('--') && word.length > 2 && !word.startsWith('-=')) {
      const long = word.slice(1).split('=')[0]!;
      fail(`unknown option ${word}${Object.hasOwn(def.options, long) || long === 'help' ? `; options start with two dashes: --${long}` : ''}`);
    }
    if (t.name === 'help') {
      out.help = true;
      continue;
    }
    const o = Object.hasOwn(def.options, t.name) ? def.options[t.name] : undefined;
    if (o === undefined) fail(`unknown option ${t.rawName}${didYouMean(t.rawName, known)}`);
    if (o!.type === 'boolean') {
      if (t.inlineValue) fail(`--${t.name} takes no value`);
      out.options.push({ name: t.name, value: '' });
      continue;
    }
    if (t.value === undefined) fail(`--${t.name} needs a value`);
    if (!o!.multiple && out.options.some((x) => x.name === t.name)) fail(`--${t.name} given twice`);
    out.options.push({ name: t.name, value: t.value! });
  }
  if (out.help) return out;
  const names = def.positionals.map((p) => p.name);
  const least = def.positionals.filter((p) => !p.optional).length;
  if (out.positionals.length < least || out.positionals.length > names.length) {
    const got = out.positionals.length === 0 ? 'nothing' : out.positionals.join(' ');
    fail(names.length === 0 ? `expected no words after "${def.name}", got ${got}` : `expected ${names.join(' ')}, got ${got}`);
  }
  return out;
}
