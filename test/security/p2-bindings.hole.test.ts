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
 * HOLE (fails on the code of its day on purpose): the run must be refused and the canary never
 * written. The component is built here, from text, by jco-transpile's own wasm-tools.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { realTempDir, removeTempDirs } from '../helpers/temp.ts';

afterEach(removeTempDirs);

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
      expect(fs.readdirSync(dir).sort()).toEqual(['hostile.component.wasm', 'secret.txt']);
    });
  }
});
