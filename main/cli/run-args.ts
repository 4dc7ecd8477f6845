/** `terrarium run MODULE.wasm`'s command line as a run's settings (pure; tested without running anything). */
import type { Preopen } from '../api/terminal-run.ts';
import { command } from './commands.ts';
import type { Parsed } from './define.ts';
import { parseCommand } from './parse.ts';
import { UsageError } from './usage-error.ts';
import { type EnvSpec, parseDir, parseEnv, positiveNumber } from './values.ts';

export { UsageError } from './usage-error.ts';
export { parseDir } from './values.ts';

/** `terrarium run`'s options. */
export interface RunArgs {
  module: string;
  args: string[];
  dirs: Preopen[];
  /** Fixed values and names to forward, in order. */
  env: EnvSpec[];
  memoryMaxMiB?: number;
  timeoutSeconds?: number;
}

/** The settings a parsed `run` command line describes. */
export function runArgsFrom(p: Parsed): RunArgs {
  if (p.help) throw new UsageError('--help is not a module; see "terrarium run --help"', 'run');
  const out: RunArgs = { module: p.positionals[0]!, args: p.rest, dirs: [], env: [] };
  for (const { name, value } of p.options) {
    if (name === 'dir') out.dirs.push(parseDir(value));
    else if (name === 'env') out.env.push(parseEnv(value));
    else if (name === 'memory-max') out.memoryMaxMiB = positiveNumber(name, value);
    else if (name === 'timeout') out.timeoutSeconds = positiveNumber(name, value);
  }
  return out;
}

/** Parses the words after `terrarium run` (for a module file). */
export function parseRunArgs(argv: string[]): RunArgs {
  return runArgsFrom(parseCommand(command('run')!, argv));
}
