/** A small option parser for the library commands: `--flag`, `--flag VALUE`, `--flag=VALUE`. */
import { UsageError } from './run-args.ts';

/** Each option's kind: a switch, a single value, or a value that may repeat. */
export type OptionSpec = Record<string, 'switch' | 'value' | 'repeat'>;

/** Parsed options, in the order given, and the positional words. */
export interface Parsed {
  options: { name: string; value: string }[];
  positionals: string[];
  /** Words after a bare `--`. */
  rest: string[];
}

/** Parses `argv` against `spec`; unknown options are usage errors. */
export function parseOptions(argv: string[], spec: OptionSpec): Parsed {
  const out: Parsed = { options: [], positionals: [], rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      out.rest = argv.slice(i + 1);
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      out.positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = (eq === -1 ? word : word.slice(0, eq)).replace(/^--?/, '');
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown option ${word}`);
    if (kind === 'switch') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      out.options.push({ name, value: '' });
      continue;
    }
    const value = eq !== -1 ? word.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (kind === 'value' && out.options.some((o) => o.name === name)) throw new UsageError(`--${name} given twice`);
    out.options.push({ name, value });
  }
  return out;
}

/** The value of option `name`, if given. */
export function opt(p: Parsed, name: string): string | undefined {
  return p.options.find((o) => o.name === name)?.value;
}

/** Whether switch `name` was given. */
export function has(p: Parsed, name: string): boolean {
  return p.options.some((o) => o.name === name);
}

/** Exactly `n` positional words, else a usage error naming them. */
export function positionals(p: Parsed, names: string[]): string[] {
  if (p.positionals.length !== names.length) {
    throw new UsageError(`expected ${names.join(' ')}, got ${p.positionals.length === 0 ? 'nothing' : p.positionals.join(' ')}`);
  }
  return p.positionals;
}
