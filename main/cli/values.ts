/**
 * The CLI's option values, each parsed in one place for every command that takes it: a folder
 * (`--dir HOST[::GUEST][:ro]`), a variable (`--env NAME[=VALUE]`), a positive number (limits), a
 * whole number in a range (paging). Pure: tested without running anything.
 */
import type { Preopen } from '../api/terminal-run.ts';
import { UsageError } from './usage-error.ts';

/** Parses `--dir HOST[::GUEST][:ro|:rw]`. */
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

/** A variable for the app: a fixed value (`NAME=VALUE`) or one forwarded from the host (`NAME`). */
export type EnvSpec = { name: string; value: string } | { name: string; forward: true };

/** Parses `--env NAME=VALUE` or `--env NAME`. */
export function parseEnv(spec: string): EnvSpec {
  const eq = spec.indexOf('=');
  const name = eq === -1 ? spec : spec.slice(0, eq);
  if (!/^[^=\0]+$/.test(name)) throw new UsageError(`--env ${spec}: bad variable name`);
  return eq === -1 ? { name, forward: true } : { name, value: spec.slice(eq + 1) };
}

/** `--NAME VALUE` as a finite number above zero (`--memory-max 0.5`, `--timeout 30`). */
export function positiveNumber(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} needs a positive number, got ${value === '' ? 'nothing' : value}`);
  return n;
}

/** `--NAME VALUE` as a whole number from `min` to `max` (`--limit 200`, `--port 8080`). */
export function wholeNumber(name: string, value: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${name} needs a whole number from ${min} to ${max}, got ${value === '' ? 'nothing' : value}`);
  return n;
}

/** `--NAME VALUE` as one of `choices`. */
export function oneOf<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} is ${choices.slice(0, -1).join(', ')}${choices.length > 1 ? ' or ' : ''}${choices.at(-1)}, got ${value === '' ? 'nothing' : value}`);
  }
  return value as T;
}
