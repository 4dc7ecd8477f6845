/**
 * The pieces the contract's schemas (requests.ts, events.ts) are built from, and every literal list
 * of the contract, each defined once: sort orders, grant accesses and limits, prompt operations and
 * answers, run outcomes, the size limits of strings, lists and terminals. Each builder carries the
 * message a person (or a script) reads when a request breaks it; main/api prefixes the field's path.
 */
import * as v from 'valibot';
import { ASK_OPERATIONS } from '../main/shared/ask-operations.ts';

/** Catalog orders (apps.list). */
export const SORT_ORDERS = ['name', 'installed', 'last-run'] as const;
/** How a folder is granted. */
export const GRANT_ACCESS = ['read', 'read-write'] as const;
/** The limits a grant can set. */
export const LIMIT_NAMES = ['memory-max-mib', 'timeout-seconds'] as const;
/** What was decided about an access, as the activity log records it. */
export const DECISIONS = ['allowed', 'prompted-allowed', 'denied'] as const;
/** What happens to an access outside the grants: ask the person, or deny without asking. */
export const UNKNOWN_ACCESS = ['ask', 'deny'] as const;
/** What an app is about to do, by its real name (every change asks as itself): the runtime's list, main/shared/ask-operations.ts. */
export const PROMPT_OPERATIONS = ASK_OPERATIONS;
/**
 * The person's answer: about this access, or about the whole run ('deny-run': deny everything
 * else this run asks without asking; 'stop-run': stop the run).
 */
export const PROMPT_ANSWERS = ['allow-once', 'allow-always', 'deny', 'deny-always', 'deny-run', 'stop-run'] as const;
/** How a run ended. */
export const RUN_OUTCOMES = ['exit', 'trap', 'timeout', 'cancelled', 'crash', 'load-error'] as const;

/** Longest app reference (id or name) a request may carry. */
export const REF_MAX = 200;
/** Longest id (run, preview, prompt, progress) a request may carry. */
export const ID_MAX = 64;
/** Longest path or other free text a request may carry. */
export const TEXT_MAX = 4096;
/** Most entries of an audit page (apps.audit). */
export const AUDIT_PAGE_MAX = 10_000;
/** Terminal size bounds, in cells, for both columns and rows. */
export const TERMINAL = { min: 2, max: 1000 } as const;
/** Most arguments (or files) one request may hand a run. */
export const ARGS_MAX = 1000;
/** Most grants (or gesture folders) one request may carry. */
export const GRANTS_MAX = 100;

/** A string of at most `max` characters. */
export const text = (max: number = TEXT_MAX) => {
  const m = `must be a string of at most ${max} characters`;
  return v.pipe(v.string(m), v.maxLength(max, m));
};

/** A whole number in `min..max`. */
export const int = (min: number, max: number) => {
  const m = `must be an integer in ${min}..${max}`;
  return v.pipe(v.number(m), v.integer(m), v.minValue(min, m), v.maxValue(max, m));
};

/** A finite number above zero. */
export const positive = () => {
  const m = 'must be a positive number';
  return v.pipe(v.number(m), v.finite(m), v.gtValue(0, m));
};

/** True or false. */
export const bool = () => v.boolean('must be true or false');

/** One of `options`. */
export const oneOf = <const T extends readonly [string, ...string[]]>(options: T) => v.picklist(options, `must be one of ${options.join(', ')}`);

/** A list of at most `max` items (at least `min`), each checked by `item`. */
export const list = <T extends v.GenericSchema>(item: T, max: number, min = 0) => {
  const m = min > 0 ? `must be a list of ${min} to ${max} items` : `must be a list of at most ${max} items`;
  return v.pipe(v.array(item, m), v.minLength(min, m), v.maxLength(max, m));
};

/** A list of strings (arguments, file paths). */
export const strings = () => list(text(), ARGS_MAX);

/**
 * A plain object (not an array, not null) with exactly `entries`: unknown keys are dropped, keys
 * inherited or smuggled in under `__proto__` are not seen.
 */
export const record = <T extends v.ObjectEntries>(entries: T) => v.pipe(plainObject<v.InferInput<v.ObjectSchema<T, 'is missing'>>>(), v.object(entries, 'is missing'));

/**
 * Refuses anything but a plain object (v.object alone accepts arrays), typed as the object schema
 * after it expects, so that the pipe's input type (what a caller sends) is the object's.
 */
const plainObject = <I>() => v.custom<I>((x) => x !== null && typeof x === 'object' && !Array.isArray(x), 'must be an object');

/** One of several object shapes told apart by their `kind` (`options`: v.object schemas, maybe piped). */
const kinds = <const T extends v.VariantOptions<'kind'>>(options: T) => {
  // A piped object schema carries its object's entries too.
  const names = options.map((o) => (o as unknown as { entries: { kind: { literal: string } } }).entries.kind.literal);
  return v.variant('kind', options, `must be one of ${names.join(', ')}`);
};

/** The arguments of a request that takes none (absent, null, or any object, whose keys are ignored). */
export const none = () => v.nullish(record({}), {});

/** Bytes (a Uint8Array: the web transport decodes its `$bytes`, Electron's IPC clones them). */
export const bytes = () => v.custom<Uint8Array>((x) => x instanceof Uint8Array, 'must be bytes');

/** An app, by id or name. */
export const ref = () => text(REF_MAX);
/** A run, preview, prompt or progress id. */
export const id = () => text(ID_MAX);
/** A terminal's size in cells. */
export const terminalSize = () => int(TERMINAL.min, TERMINAL.max);

/** Where to install from. */
export const installSource = () =>
  kinds([
    v.object({ kind: v.literal('file'), path: text() }, 'is missing'),
    v.object({ kind: v.literal('url'), url: text() }, 'is missing'),
    v.object({ kind: v.literal('package'), dir: text() }, 'is missing'),
    // Bytes the person dropped on the window (web mode has no file paths).
    v.object({ kind: v.literal('bytes'), fileName: text(255), bytes: bytes() }, 'is missing'),
  ]);

const noNul = () => v.check((s: string) => !s.includes('\0'), 'must not contain NUL');

/** The person's decision about one thing an app may use. */
export const grantInput = () =>
  kinds([
    v.object({
      kind: v.literal('folder'),
      host: v.pipe(text(), noNul()),
      guest: v.pipe(text(), v.minLength(1, 'must be a non-empty path'), noNul()),
      access: oneOf(GRANT_ACCESS),
    }, 'is missing'),
    v.pipe(
      v.object({
        kind: v.literal('env'),
        name: v.pipe(text(256), v.regex(/^[^=\0]+$/, 'must be a variable name without = or NUL')),
        forward: v.optional(v.literal(true, 'must be true (or absent, with a value)')),
        value: v.optional(text()),
      }, 'is missing'),
      v.check((e) => e.forward === true || e.value !== undefined, 'needs a value (or forward: true)'),
      v.transform((e): { kind: 'env'; name: string; value: string } | { kind: 'env'; name: string; forward: true } =>
        // The check above: without a value, forward is true.
        e.value === undefined || e.forward === true ? { kind: 'env', name: e.name, forward: true } : { kind: 'env', name: e.name, value: e.value }),
    ),
    v.object({ kind: v.literal('args'), args: strings() }, 'is missing'),
    v.object({ kind: v.literal('limit'), name: oneOf(LIMIT_NAMES), value: positive() }, 'is missing'),
  ]);

/**
 * Files and folders handed to a run by gesture (DESIGN §5): files the person dropped or chose are
 * passed as arguments and readable and writable for this run only; folders are granted for this
 * run, or kept when `always`.
 */
export const gesture = () => ({
  files: v.optional(strings()),
  folders: v.optional(list(record({ path: text(), always: bool() }), GRANTS_MAX)),
});

declare const RESULT: unique symbol;
/** A request's result type, carried as a type only (main makes results; nothing checks them). */
export interface Returns<T> {
  readonly [RESULT]: T;
}
/** Marks a request's result type: `returns<AppDetails>()`. */
export const returns = <T>(): Returns<T> => null as unknown as Returns<T>;
