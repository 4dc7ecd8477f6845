/**
 * A component's bindings load as a function (main/runtime/p2/run-component.ts, bindingsBody), not
 * as an ES module from a data: URL: jco's sync bindings qualify, and give the same `instantiate`;
 * a source with any other import or export, or a top-level await, is loaded as a module.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProgram } from '../../../main/runtime/p2/program.ts';
import { bindingsBody, loadBindings } from '../../../main/runtime/p2/run-component.ts';
import { stopTranspiler, transpileInWorker } from '../../../main/wasm/transpile.ts';
import { fixture } from '../../helpers/paths.ts';

afterAll(stopTranspiler);

describe('loading bindings', () => {
  it('jco\'s bindings load as a function; other sources as the module they are', async () => {
    const program = await compileProgram(await transpileInWorker(fs.readFileSync(fixture('components/proc_code.component.wasm'))), 100);
    expect(bindingsBody(program.js)).toMatch(/\nreturn \{ instantiate \};$/);
    expect(typeof (await loadBindings(program)).instantiate).toBe('function');
    for (const extra of ['export const more = 1;', 'import fs from "node:fs";', 'const m = import.meta.url;', 'const x = await import("node:fs");']) {
      expect(bindingsBody(`${program.js}\n${extra}\n`)).toBeUndefined();
    }
    // A top-level await the check does not see: compiling it as a function fails, the module loads.
    const awaiting = { ...program, js: 'export function instantiate() { return 42; }\nawait 0;\n' };
    expect(bindingsBody(awaiting.js)).toBeDefined();
    expect((await loadBindings(awaiting)).instantiate(() => new WebAssembly.Module(new Uint8Array()), {})).toBe(42);
  });
});
