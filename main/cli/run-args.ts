/** Parsing of `terrarium run`'s command line (pure; tested without running anything). */
import type { Preopen } from '../runtime/run.ts';

/** A usage error: the message says what is wrong with the command line. */
export class UsageError extends Error {}

/** `terrarium run`'s options. */
export interface RunArgs {
  module: string;
  args: string[];
  dirs: Preopen[];
  /** Fixed values and names to forward, in order. */
  env: ({ name: string; value: string } | { name: string; forward: true })[];
  memoryMaxMiB?: number;
  timeoutSeconds?: number;
}

/** Parses `--dir HOST[::GUEST][:ro]`. */
export function parseDir(spec: string): Preopen {
  let s = spec;
  let readOnly = false;
  if (s.endsWith(':ro')) {
    readOnly = true;
    s = s.slice(0, -3);
  } else if (s.endsWith(':rw')) {
    s = s.slice(0, -3);
  }
  const sep = s.indexOf('::');
  const hostPath = sep === -1 ? s : s.slice(0, sep);
  const guestPath = sep === -1 ? s : s.slice(sep + 2);
  if (hostPath === '') throw new UsageError(`--dir ${spec}: missing host folder`);
  if (guestPath === '') throw new UsageError(`--dir ${spec}: empty guest path after "::"`);
  return { hostPath, guestPath, readOnly };
}

function positiveNumber(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || v === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} needs a positive number, got ${v ?? 'nothing'}`);
  return n;
}

/** Parses the words after `terrarium run`. */
export function parseRunArgs(argv: string[]): RunArgs {
  const out: RunArgs = { module: '', args: [], dirs: [], env: [] };
  let i = 0;
  const value = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (word.startsWith('-') && !word.startsWith('--') && word !== '-') throw new UsageError(`unknown option ${word}`);
    if (!word.startsWith('--') || word === '--') break;
    const eq = word.indexOf('=');
    const flag = eq === -1 ? word : word.slice(0, eq);
    const inline = eq === -1 ? undefined : word.slice(eq + 1);
    switch (flag) {
      case '--dir':
        out.dirs.push(parseDir(value(flag, inline)));
        break;
      case '--env': {
        const v = value(flag, inline);
        const e = v.indexOf('=');
        const name = e === -1 ? v : v.slice(0, e);
        if (!/^[^=\0]+$/.test(name)) throw new UsageError(`--env ${v}: bad variable name`);
        out.env.push(e === -1 ? { name, forward: true } : { name, value: v.slice(e + 1) });
        break;
      }
      case '--memory-max':
        out.memoryMaxMiB = positiveNumber(flag, value(flag, inline));
        break;
      case '--timeout':
        out.timeoutSeconds = positiveNumber(flag, value(flag, inline));
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  if (argv[i] === '--') i++;
  const module = argv[i];
  if (module === undefined) throw new UsageError('missing MODULE.wasm');
  out.module = module;
  const rest = argv.slice(i + 1);
  out.args = rest[0] === '--' ? rest.slice(1) : rest;
  return out;
}
