/**
 * Transpiling a WASI 0.2 component into core modules and JavaScript bindings (issue 15): a pure
 * transformation of bytes, shared by the library (at install) and the runtime (a component run
 * without a stored output).
 */
import { CodedError } from '../shared/coded-error.ts';

/** The transpiler's output: file name → bytes (one `.js`, the rest `.wasm` core modules). */
export type TranspiledFiles = Record<string, Uint8Array>;

/** The jco-transpile version the stored output was made with (part of its store key). */
export const TRANSPILER = 'jco-transpile-0.15';

type Generator = typeof import('@bytecodealliance/jco-transpile/component');
let generator: Promise<Generator> | undefined;

/**
 * Loads jco's code generator once per thread (`@bytecodealliance/jco-transpile/component`), never
 * its front end, which would load its minifier (a native module) and can run binaryen; so neither
 * is needed nor packed. Its cold start (~0.8–1.1 s) is most of a small component's transpile.
 */
export function loadTranspiler(): Promise<Generator> {
  generator ??= (async () => {
    let g: Generator;
    try {
      g = await import('@bytecodealliance/jco-transpile/component');
    } catch {
      // Packaged apps carry the generator (check:package proves it); a broken install lands here.
      throw new CodedError('unsupported', 'this Terrarium has no WASI 0.2 transpiler: only components built with the preview1 adapter can run here');
    }
    await g.$init;
    return g;
  })();
  generator.catch(() => {
    generator = undefined;
  });
  return generator;
}

/** How many transpilations this thread has asked for, of the worker and on itself. */
let asked = 0;
let askedHere = 0;

/**
 * How many components this thread has transpiled or sent to the transpiler's worker (tests: a
 * component whose output is stored is not transpiled again).
 */
export const transpilesAsked = (): number => asked;

/** How many of `transpilesAsked` ran on this thread itself (tests: the window's main never does). */
export const transpilesHere = (): number => askedHere;

/**
 * What jco cannot be trusted to write into its bindings (secreview3 hole 1): jco 0.15 writes every
 * core module's import names (module and field) and export names into the generated JavaScript
 * unescaped, either bare (only when the name is an ASCII identifier) or inside a single-quoted
 * string literal (`'NAME': { 'FIELD': exports0['EXPORT'] }`, `exports1['EXPORT']`), never in a
 * template literal or a comment. A quote of any kind or `\` ends or bends such a literal, and a
 * line terminator (LF, CR: C0; U+2028/U+2029) breaks it; `${` means nothing there. The other
 * controls (C0, DEL, C1) are refused too: no real name holds one, and a message that names the
 * component must not carry them to a terminal. The identifiers jco derives from export names
 * (`exports1MKrun`, `run$1`) keep only ASCII letters, digits and `$`.
 */
const UNSAFE_IN_BINDINGS = /['"`\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** `name` for a one-line message: printable ASCII as is, anything else as `\u{…}`, at most 60 characters. */
function shown(name: string): string {
  const s = name.replace(/[^\x20-\x7e]|\\/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/**
 * Refuses core modules a name of which jco's bindings cannot hold safely (UNSAFE_IN_BINDINGS):
 * at install (transpileComponent) and at every run before the bindings compile (p2/program.ts
 * compileProgram), so an output stored by an earlier version is refused too.
 */
export function checkCoreNames(modules: Iterable<WebAssembly.Module>): void {
  for (const m of modules) {
    for (const i of WebAssembly.Module.imports(m)) {
      for (const name of [i.module, i.name]) {
        if (UNSAFE_IN_BINDINGS.test(name)) throw new Error(`a core module imports a name ("${shown(name)}") that cannot be written safely into its bindings`);
      }
    }
    for (const e of WebAssembly.Module.exports(m)) {
      if (UNSAFE_IN_BINDINGS.test(e.name)) throw new Error(`a core module exports a name ("${shown(e.name)}") that cannot be written safely into its bindings`);
    }
  }
}

/**
 * Transpiles component `bytes` (about 0.5 s, issue 15) on this thread (loadTranspiler); refuses
 * one whose core modules' names the bindings cannot hold (checkCoreNames).
 */
export async function transpileComponent(bytes: Uint8Array): Promise<TranspiledFiles> {
  asked++;
  askedHere++;
  const { generate } = await loadTranspiler();
  const out = generate(bytes, {
    name: 'component', instantiation: { tag: 'sync' }, importBindings: { tag: 'hybrid' }, map: [],
    noTypescript: true, noNodejsCompat: false, noComponentErrorWrapping: false, validLiftingOptimization: false,
    tracing: false, base64Cutoff: 5000,
  });
  const files: TranspiledFiles = Object.fromEntries(out.files);
  checkCoreNames(await Promise.all(Object.entries(files).filter(([name]) => name.endsWith('.wasm')).map(
    ([, b]) => WebAssembly.compile(b as Uint8Array<ArrayBuffer>),
  )));
  return files;
}

/**
 * How long the transpiler's worker waits for the next component before it ends: an install of
 * several components (or a retry) finds the transpiler loaded. An idle worker keeps no process
 * alive (unref).
 */
export const TRANSPILER_IDLE_MS = 30_000;

interface Reply { id: number; files?: TranspiledFiles; error?: { code?: unknown; message: string } }
interface Pending { resolve: (f: TranspiledFiles) => void; reject: (e: Error) => void }

/** The transpiler's worker, its requests in flight and its idle timer. */
interface Warm { worker: import('node:worker_threads').Worker; pending: Map<number, Pending>; idle?: NodeJS.Timeout }
/** The transpiler's worker while it lives. */
let warm: Warm | undefined;
let lastId = 0;

/** The transpiler's worker's thread id while one runs (tests: the same worker serves each component). */
export const transpilerThread = (): number | undefined => warm?.worker.threadId;

/** Ends the transpiler's worker now (requests in flight fail); the next transpile starts another. */
export function stopTranspiler(): void {
  const w = warm;
  warm = undefined;
  if (w === undefined) return;
  clearTimeout(w.idle);
  void w.worker.terminate();
  for (const p of w.pending.values()) p.reject(new Error('the transpiler\'s worker was stopped'));
}

/**
 * The transpiler's worker, started if none is running (it begins loading the transpiler at once:
 * calling this ahead of a transpile, e.g. while a component downloads, hides its cold start).
 */
export function startTranspiler(): void {
  if (warm !== undefined) return;
  // Loaded here, not at import: the runtime's worker imports this module too and never needs it.
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const worker = new Worker(new URL('./transpile-worker.js', import.meta.url), { stdout: false, stderr: false });
  const w: Warm = { worker, pending: new Map() };
  warm = w;
  const fail = (err: Error): void => {
    if (warm === w) warm = undefined;
    clearTimeout(w.idle);
    for (const p of w.pending.values()) p.reject(err);
    w.pending.clear();
  };
  worker.on('message', (m: Reply) => {
    const p = w.pending.get(m.id);
    if (p === undefined) return;
    w.pending.delete(m.id);
    if (m.files) p.resolve(m.files);
    else if (m.error?.code === 'unsupported') p.reject(new CodedError('unsupported', m.error.message));
    else p.reject(new Error(m.error?.message ?? 'the transpiler sent nothing'));
    if (w.pending.size === 0) idle(w);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the transpiler's worker stopped (exit code ${code})`)));
  idle(w);
}

/** Lets `w` end after TRANSPILER_IDLE_MS with nothing to do, and keep no process alive meanwhile. */
function idle(w: Warm): void {
  clearTimeout(w.idle);
  w.worker.unref();
  w.idle = setTimeout(() => {
    if (warm === w) stopTranspiler();
  }, TRANSPILER_IDLE_MS);
  w.idle.unref();
}

/**
 * `transpileComponent` in a worker thread (issue 15.1), so the calling thread (the window's main
 * process at install) keeps its event loop: a copy of `bytes` is moved there and the files are
 * moved back. The worker stays for TRANSPILER_IDLE_MS after its last answer, so the next
 * component skips the transpiler's cold start. Fails as transpileComponent does.
 */
export async function transpileInWorker(bytes: Uint8Array): Promise<TranspiledFiles> {
  asked++;
  startTranspiler();
  const w = warm as Warm | undefined;
  if (w === undefined) throw new Error('the transpiler\'s worker did not start');
  clearTimeout(w.idle);
  w.worker.ref();
  // A copy (a Buffer's slice() would be a view of its memory, detached when moved).
  const copy = new Uint8Array(bytes);
  const id = ++lastId;
  return await new Promise<TranspiledFiles>((resolve, reject) => {
    w.pending.set(id, { resolve, reject });
    w.worker.postMessage({ id, bytes: copy }, [copy.buffer]);
  });
}
