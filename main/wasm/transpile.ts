/**
 * Transpiling a WASI 0.2 component into core modules and JavaScript bindings (issue 15): a pure
 * transformation of bytes, shared by the library (at install) and the runtime (a component run
 * without a stored output).
 */
import { CodedError } from '../shared/coded-error.ts';

const workerUrl = new URL('./transpile-worker.js', import.meta.url);

/** The transpiler's output: file name → bytes (one `.js`, the rest `.wasm` core modules). */
export type TranspiledFiles = Record<string, Uint8Array>;

/** The jco-transpile version the stored output was made with (part of its store key). */
export const TRANSPILER = 'jco-transpile-0.15';

/**
 * Transpiles component `bytes` (about 0.5 s, issue 15). Only jco's code generator is loaded
 * (`@bytecodealliance/jco-transpile/component`), never its front end, which would load its
 * minifier (a native module) and can run binaryen; so neither is needed nor packed.
 */
export async function transpileComponent(bytes: Uint8Array): Promise<TranspiledFiles> {
  let generator: typeof import('@bytecodealliance/jco-transpile/component');
  try {
    generator = await import('@bytecodealliance/jco-transpile/component');
  } catch {
    // Packaged apps carry the generator (check:package proves it); a broken install lands here.
    throw new CodedError('unsupported', 'this Terrarium has no WASI 0.2 transpiler: only components built with the preview1 adapter can run here');
  }
  const { $init, generate } = generator;
  await $init;
  const out = generate(bytes, {
    name: 'component', instantiation: { tag: 'sync' }, importBindings: { tag: 'hybrid' }, map: [],
    noTypescript: true, noNodejsCompat: false, noComponentErrorWrapping: false, validLiftingOptimization: false,
    tracing: false, base64Cutoff: 5000,
  });
  return Object.fromEntries(out.files);
}

/**
 * `transpileComponent` in a worker thread (issue 15.1), so the calling thread (the window's main
 * process at install) keeps its event loop: a copy of `bytes` is moved there, the files are moved
 * back, and the worker is ended after use or on error. Fails as transpileComponent does.
 */
export async function transpileInWorker(bytes: Uint8Array): Promise<TranspiledFiles> {
  // Loaded here, not at import: the runtime's worker imports this module too and never needs it.
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  // A copy (a Buffer's slice() would be a view of its memory, detached when moved).
  const copy = new Uint8Array(bytes);
  const worker = new Worker(workerUrl, { workerData: copy, transferList: [copy.buffer], stdout: false, stderr: false });
  try {
    return await new Promise<TranspiledFiles>((resolve, reject) => {
      worker.once('message', (m: { files?: TranspiledFiles; error?: { code?: unknown; message: string } }) => {
        if (m.files) resolve(m.files);
        else if (m.error?.code === 'unsupported') reject(new CodedError('unsupported', m.error.message));
        else reject(new Error(m.error?.message ?? 'the transpiler sent nothing'));
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the transpiler's worker stopped (exit code ${code})`)));
    });
  } finally {
    void worker.terminate();
  }
}
