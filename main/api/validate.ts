/**
 * Runtime checks of every request's arguments with the contract's own schemas (preload/requests.ts):
 * the renderer is untrusted (DESIGN §2), so nothing it sends is used before it has been checked to
 * have the contract's shape. A checked value is a fresh copy holding only the contract's keys.
 */
import * as v from 'valibot';
import type { CheckedArgs, RequestName } from '../../preload/api.ts';
import { REQUESTS } from '../../preload/requests.ts';
import { CodedError } from '../shared/coded-error.ts';

/** Whether `name` is a request of the contract (own keys only: never `__proto__` or `toString`). */
export function isRequest(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(REQUESTS, name);
}

/** Where an issue is, as code would write it: `grants[0].access`, or `arguments` for the whole. */
function where(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = item.key;
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? 'arguments' : out;
}

/** The one message for a failed check: the first problem, with the field's path. */
export function problem(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  return first === undefined ? 'arguments are malformed' : `${where(first)} ${first.message}`;
}

/** Checks and copies the arguments of request `name`; a `bad-request` CodedError says what is wrong. */
export function checkArgs<K extends RequestName>(name: K, raw: unknown): CheckedArgs<K> {
  const result = v.safeParse(REQUESTS[name].args, raw, { abortEarly: true });
  if (!result.success) throw new CodedError('bad-request', problem(result.issues));
  return result.output as CheckedArgs<K>;
}
