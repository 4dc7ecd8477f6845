/**
 * scripts/bundle-cli.ts's rewrites (issue 14.2): each form of a built-in import rolldown prints
 * becomes a constant from process.getBuiltinModule, packages and chunks keep their imports, and a
 * form it does not know fails the build instead of slipping through as an ES import; a lazy import
 * of a facade goes to the chunk behind it; the chunk run as a cached script keeps its exports,
 * `import.meta.url` and lazy imports, in ASCII.
 */
import os from 'node:os';
import vm from 'node:vm';
import { expect, test } from 'vitest';
import { asCachedScript, asciiOnly, builtinsAtFirstUse, skipFacades } from '../../scripts/bundle-cli.ts';

test('every form of a built-in import becomes a getBuiltinModule constant', () => {
  const code = [
    'import { a as b, c } from "./shell-x.js";',
    'import fs from "node:fs";',
    'import { fileURLToPath } from "node:url";',
    'import module, { createRequire as cr } from "node:module";',
    'import * as os from "node:os";',
    'import "node:vm";',
    'import path from "path";',
    'import Database from "better-sqlite3";',
    'fs.readFileSync(fileURLToPath(""));',
  ].join('\n');
  expect(builtinsAtFirstUse(code)).toBe([
    'import { a as b, c } from "./shell-x.js";',
    'const fs = process.getBuiltinModule("node:fs");',
    'const { fileURLToPath } = process.getBuiltinModule("node:url");',
    'const module = new Proxy({}, { get: (_, key) => process.getBuiltinModule("node:module")[key] }); const cr = (...args) => process.getBuiltinModule("node:module").createRequire(...args);',
    'const os = new Proxy({}, { get: (_, key) => process.getBuiltinModule("node:os")[key] });',
    '',
    'const path = process.getBuiltinModule("path");',
    'import Database from "better-sqlite3";',
    'fs.readFileSync(fileURLToPath(""));',
  ].join('\n'));
});

test('node:os and node:module, which a run needs none of, are loaded at their first use', () => {
  const code = builtinsAtFirstUse([
    'import os, { constants, tmpdir as tmp } from "node:os";',
    'import { createRequire } from "module";',
    'export { os, constants, tmp, createRequire };',
  ].join('\n'));
  // A value imported by name is read at once (loading the module); functions and the module itself wait.
  expect(code.split('\n')[0]).toBe('const os = new Proxy({}, { get: (_, key) => process.getBuiltinModule("node:os")[key] }); const { constants } = process.getBuiltinModule("node:os"); const tmp = (...args) => process.getBuiltinModule("node:os").tmpdir(...args);');
  const got: string[] = [];
  const fakeProcess = { getBuiltinModule: (id: string) => (got.push(id), process.getBuiltinModule(id)) };
  const run = new Function('process', code.replace(/^export \{.*$/m, 'return { os, constants, tmp, createRequire };'));
  const m = run(fakeProcess) as { os: typeof import('node:os'); tmp: () => string; createRequire: typeof import('node:module').createRequire };
  expect(got).toEqual(['node:os']); // the named value only
  expect(m.os.tmpdir()).toBe(os.tmpdir());
  expect(m.os.constants.errno.ENOENT).toBe(os.constants.errno.ENOENT);
  expect(m.tmp()).toBe(os.tmpdir());
  expect(typeof m.createRequire(import.meta.url)).toBe('function');
  expect(got).toEqual(['node:os', 'node:os', 'node:os', 'node:os', 'module']);
});

test('a built-in import in a form it does not know fails the build', () => {
  expect(() => builtinsAtFirstUse("import fs from 'node:fs';")).toThrow(/node:fs/);
  expect(() => builtinsAtFirstUse('import{readFileSync}from"fs";')).toThrow(/fs/);
});

test('a lazy import of a facade chunk imports the chunk behind it, its names mapped', () => {
  const chunks = new Map([
    ['guest-a.js', 'export { t as primeInstance, n as runGuest } from "./shell-b.js";\n'],
    ['shell-b.js', 'const g = () => import("./guest-a.js");\nconst l = () => import("./library-c.js");\nexport { x as n, y as t };\n'],
    ['library-c.js', 'export const z = 1;\n'],
  ]);
  expect(skipFacades(chunks)).toEqual(['guest-a.js']);
  expect(chunks.get('shell-b.js')).toBe('const g = () => import("./shell-b.js").then((m) => ({ "primeInstance": m.t, "runGuest": m.n }));\nconst l = () => import("./library-c.js");\nexport { x as n, y as t };\n');
});

test('the script chunk keeps its exports, import.meta.url and lazy imports, and refuses what a script cannot keep', async () => {
  const code = [
    'const fs = process.getBuiltinModule("node:fs");',
    'function twice(n) { return 2 * n; }',
    'const where = new URL("./worker.js", import.meta.url).href;',
    'const later = () => import("./other.js");',
    'const self = () => import("./shell-x.js").then((m) => ({ twice: m.a }));',
    'const dots = "a\u2026b";',
    'export { twice as a, where as b, later as c, dots as d, self as e };',
  ].join('\n');
  const { script, shim, exports } = asCachedScript(code, 'shell-x.0123.script.js', 'shell-x.js');
  expect(exports.find((e) => e.local === 'twice')?.exported).toBe('a');
  expect(script).toMatch(/^[\x00-\x7f]*$/);
  const imported: string[] = [];
  const fn = new vm.Script(script).runInThisContext() as (url: string, imp: (s: string) => Promise<unknown>) => Record<string, unknown>;
  const out = fn('file:///app/out/cli/shell-x.js', async (s) => void imported.push(s));
  expect((out.a as (n: number) => number)(21)).toBe(42);
  expect(out.b).toBe('file:///app/out/cli/worker.js');
  await (out.c as () => Promise<unknown>)();
  expect(imported).toEqual(['./other.js']); // through the shim's own import(): resolved beside it
  expect(out.d).toBe('a\u2026b');
  // The exports have a null prototype: V8 makes such a literal a dictionary at once, without a map
  // transition per name (docs/design/start2.md); an export named __proto__ could not be one of them.
  expect(Object.getPrototypeOf(out)).toBeNull();
  expect(() => asCachedScript('const p = 1;\nexport { p as __proto__ };', 's.js', 'x.js')).toThrow(/__proto__/);
  // A lazy import of the chunk itself (a facade skipped) is its own exports, not the shim again.
  expect(((await (out.e as () => Promise<{ twice: (n: number) => number }>)()).twice)(2)).toBe(4);
  expect(imported).toEqual(['./other.js']);
  expect(shim).toContain('loadCachedScript(new URL("./shell-x.0123.script.js", import.meta.url), import.meta.url, (s) => import(s))');
  expect(shim).toContain('export { _0 as a, _1 as b, _2 as c, _3 as d, _4 as e };');
  expect(() => asCachedScript('let n = 1;\nexport { n as a };', 's.js', 'x.js')).toThrow(/let/);
  // The start chunk (run by bin without its shim) may have no static import; another script chunk's
  // become static imports of its shim, whose namespaces the script takes its names from.
  expect(() => asCachedScript('import { x } from "./y.js";\nexport { x as a };', 's.js', 'x.js')).toThrow(/static import/);
  const lib = asCachedScript('import { x as y, z } from "./shell-x.js";\nimport * as ns from "./p.js";\nimport d from "pkg";\nconst f = () => y + z + ns.k + d;\nexport { f as a };', 'lib-x.0123.script.js', 'lib-x.js', true);
  expect(lib.shim).toContain('import * as _d0 from "./shell-x.js";\nimport * as _d1 from "./p.js";\nimport * as _d2 from "pkg";\n');
  expect(lib.shim).toContain('loadCachedScript(new URL("./lib-x.0123.script.js", import.meta.url), import.meta.url, (s) => import(s), [_d0, _d1, _d2])');
  const libFn = new vm.Script(lib.script).runInThisContext() as (url: string, imp: unknown, deps: unknown[]) => Record<string, unknown>;
  const libOut = libFn('file:///app/out/cli/lib-x.js', undefined, [{ x: 'a', z: 'b' }, { k: 'c' }, { default: 'd' }]);
  expect((libOut.a as () => string)()).toBe('abcd');
  expect(() => asCachedScript('import "./side.js";\nexport { f as a };', 's.js', 'x.js', true)).toThrow(/static import/);
  expect(() => asCachedScript('const d = import.meta.dirname;\nexport { d as a };', 's.js', 'x.js')).toThrow(/import.meta/);
  expect(() => asciiOnly('const s = String.raw`\u2026`;')).toThrow(/raw template/);
});
