/**
 * Adversarial review (secreview3): a WASI 0.2 component's generated bindings are JavaScript that
 * jco writes from the component, and Terrarium compiles and runs it in the host
 * (run-component.ts `loadBindings`, vm.compileFunction in the run's thread, with `process`). jco
 * 0.15 writes core-module import and export names into single-quoted string literals unescaped
 * (`'NAME': { 'FIELD': exports0['EXPORT'] }`), and core wasm names are any UTF-8: a component
 * whose core module imports from a module named `x':(CODE),'y` runs CODE in the host when it is
 * instantiated, before any WASI call: no grant, no resolver, no ask. Here CODE reads a file
 * outside every grant and writes a canary with its content.
 *
 * Was a hole (secreview3 hole 1, critical; fixed in p2fix: wasm/transpile.ts `checkCoreNames`
 * refuses a core module name holding a quote, `\`, a control, U+2028 or U+2029, at install and in
 * p2/program.ts `compileProgram` at every run before the bindings compile): the run must be
 * refused and the canary never written. The component is built here, from text, by
 * jco-transpile's own wasm-tools.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { compileProgram } from '../../main/runtime/p2/program.ts';
import { checkCoreNames, loadTranspiler, stopTranspiler, transpileComponent, transpileInWorker } from '../../main/wasm/transpile.ts';
import { runCli } from '../helpers/cli.ts';
import { realTempDir, removeTempDirs } from '../helpers/temp.ts';

afterEach(removeTempDirs);
afterAll(stopTranspiler);

/**
 * A command component whose core module 0 imports function `f` from core module name `name`
 * (satisfied by a second core module), and whose `run` returns ok. `name` must hold no `"` or `\`.
 */
async function component(name: string): Promise<Uint8Array> {
  return parse(`(component
  (core module $main
    (import "${name}" "f" (func))
    (func (export "run") (result i32) i32.const 0))
  (core module $lib (func (export "f")))
  (core instance $l (instantiate $lib))
  (core instance $m (instantiate $main (with "${name}" (instance (export "f" (func $l "f"))))))
  (func $run (result (result)) (canon lift (core func $m "run")))
  (instance $r (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $r)))`);
}

describe('a core module name breaking out of the bindings\' string literal', () => {
  it('control: the same component with a plain name runs and exits 0', async () => {
    const dir = realTempDir('secreview3-bindings');
    const file = path.join(dir, 'plain.component.wasm');
    fs.writeFileSync(file, await component('imports'));
    const r = await runCli(['run', file]);
    expect(r.stderr.toString()).toBe('');
    expect(r.code).toBe(0);
  });

  for (const sameThread of ['1', '0']) {
    it(`runs no code of the component's in the host (TERRARIUM_SAME_THREAD=${sameThread})`, async () => {
      const dir = realTempDir('secreview3-bindings');
      const secret = path.join(dir, 'secret.txt');
      const canary = path.join(dir, 'canary.txt');
      fs.writeFileSync(secret, 'the person\'s secret');
      const fsExpr = 'process.getBuiltinModule(\'node:fs\')';
      const payload = `x':(${fsExpr}.writeFileSync('${canary}','escaped: '+${fsExpr}.readFileSync('${secret}','utf8')),{}),'y`;
      const file = path.join(dir, 'hostile.component.wasm');
      fs.writeFileSync(file, await component(payload));
      const r = await runCli(['run', file], { env: { TERRARIUM_SAME_THREAD: sameThread } });
      // No grant was given: nothing outside the run may be read or written.
      expect(fs.existsSync(canary) ? fs.readFileSync(canary, 'utf8') : 'no canary').toBe('no canary');
      expect(r.stdout.toString()).not.toContain('secret');
      expect(r.code).not.toBe(0);
      expect(r.stderr.toString()).toMatch(/not a component Terrarium can run: a core module imports a name \("x':\(process.*"\) that cannot be written safely into its bindings/);
      expect(r.stderr.toString().trim().split('\n')).toHaveLength(1);
      expect(fs.readdirSync(dir).sort()).toEqual(['hostile.component.wasm', 'secret.txt']);
    });
  }
});

/** A core module importing `module`.`field` and exporting `exported` (WAT text: escapes like `\\0a`). */
async function core(module: string, field: string, exported: string): Promise<WebAssembly.Module> {
  return await WebAssembly.compile(await parse(`(module (import "${module}" "${field}" (func)) (func (export "${exported}")))`) as Uint8Array<ArrayBuffer>);
}

describe('the rule for core module names (checkCoreNames)', () => {
  // Each as WAT string text: a quote of each kind, a backslash, LF, CR, NUL, DEL, C1 NEL and CSI, U+2028, U+2029.
  const bad = ['\\27', '\\22', '`', '\\5c', '\\0a', '\\0d', '\\00', '\\7f', '\\c2\\85', '\\c2\\9b', '\\e2\\80\\a8', '\\e2\\80\\a9'];
  for (const c of bad) {
    it(`refuses ${c} in an import's module, an import's name and an export's name`, async () => {
      for (const [m, f, e] of [[`a${c}b`, 'f', 'e'], ['m', `a${c}b`, 'e'], ['m', 'f', `a${c}b`]] as const) {
        const mod = await core(m, f, e);
        expect(() => checkCoreNames([mod])).toThrow(/a core module (imports|exports) a name \("a.*b"\) that cannot be written safely into its bindings/);
      }
    });
  }

  it('passes the names real components have, and others a literal holds safely', async () => {
    const ok = ['wasi:cli/environment@0.2.0', 'wasi:cli/run@0.2.0#run', 'cabi_realloc', '$imports', '${x}', 'a b', 'é—文件', '𝒜', '__proto__', '\\e2\\80\\8d', ''];
    const mods = await Promise.all(ok.map((n) => core(n, n, n)));
    expect(() => checkCoreNames(mods)).not.toThrow();
  });

  it('shows the name in the message as printable ASCII, at most 60 characters', async () => {
    const mod = await core('\\1b[2J\\c2\\9b31m\\e2\\80\\a8' + 'x'.repeat(100), 'f', 'e');
    let message = '';
    try {
      checkCoreNames([mod]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^a core module imports a name \("\\u\{1b\}\[2J\\u\{9b\}31m\\u\{2028\}x+…"\) that cannot be written safely into its bindings$/);
    expect(message).toMatch(/^[\x20-\x7e…]+$/);
  });
});

describe('a hostile component at install and from a stored output', () => {
  const payload = "x':(globalThis.escaped=1),'y";

  it('the transpiler\'s worker (install) refuses it with one clear line', async () => {
    await expect(transpileInWorker(await component(payload))).rejects.toThrow(/^a core module imports a name \("x':\(globalThis\.escaped=1\),'y"\) that cannot be written safely into its bindings$/);
    await expect(transpileComponent(await component(payload))).rejects.toThrow(/cannot be written safely/);
  });

  it('an output stored by an earlier version (jco\'s output unchecked) is refused at run, before its bindings compile', async () => {
    const { generate } = await loadTranspiler();
    const out = generate(await component(payload), {
      name: 'component', instantiation: { tag: 'sync' }, importBindings: { tag: 'hybrid' }, map: [],
      noTypescript: true, noNodejsCompat: false, noComponentErrorWrapping: false, validLiftingOptimization: false,
      tracing: false, base64Cutoff: 5000,
    });
    const files = Object.fromEntries(out.files);
    // The stored bindings carry the payload as code.
    expect(Buffer.from(Object.entries(files).find(([n]) => n.endsWith('.js'))![1]).toString()).toContain(`'${payload}'`);
    await expect(compileProgram(files, 16)).rejects.toThrow(/cannot be written safely into its bindings/);
    expect((globalThis as { escaped?: number }).escaped).toBeUndefined();
    // Control: a plain name's stored output compiles.
    const plain = Object.fromEntries(generate(await component('imports'), {
      name: 'component', instantiation: { tag: 'sync' }, importBindings: { tag: 'hybrid' }, map: [],
      noTypescript: true, noNodejsCompat: false, noComponentErrorWrapping: false, validLiftingOptimization: false,
      tracing: false, base64Cutoff: 5000,
    }).files);
    expect((await compileProgram(plain, 16)).kind).toBe('component');
  });
});
