/**
 * Which packed files the app's entry points can load: the import graph of the packed JavaScript
 * (static and dynamic `import`, `export … from`, `require`, `new URL(…, import.meta.url)` for
 * workers), followed through node_modules by each package's `exports`/`main`. Whatever a package
 * the graph reaches needs besides code (package.json, its licence, its native binary, which it
 * finds at run time) counts as reached with it. The built page and preload are entry points of
 * their own. Over-approximates (a specifier in a comment counts), never under-approximates what
 * a literal specifier loads.
 */
import path from 'node:path';
import { builtinModules } from 'node:module';

/** The packed files (asar paths) and a reader of their bytes. */
export interface PackedFiles {
  files: ReadonlySet<string>;
  read(p: string): Buffer | null;
}

/** Imports the packed code makes on purpose of files left out, each with the reason. */
export const LEFT_OUT: Readonly<Record<string, string>> = {
  'out/app/main/cli/ui-command.js': 'web mode is not packed; the packed CLI refuses `ui` before main/cli loads (main/desktop/cli-mode.ts)',
};

/** Packages the packed code tries on purpose and does without (in a try/catch), each with the reason. */
const TRIED: readonly [RegExp, string][] = [
  [/^@koromix\/koffi-/, "koffi's per-platform packages: it tries them, then the resources folder, where the target's binary is"],
  [/^@bytecodealliance\/jco-transpile\//, "the WASI 0.2 transpiler is not packed yet (issue 15): installing a component that needs the 0.2 host says so; adapter-built components run without it"],
];

const SPECIFIERS = [
  /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
  /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
  /\b(?:import|export)\b[^'";]*?\bfrom\s*(['"])([^'"\n]+)\1/g,
  /\bimport\s*(['"])([^'"\n]+)\1/g,
  /\bnew\s+URL\s*\(\s*(['"])([^'"\n]+)\1\s*,\s*import\.meta\.url\s*\)/g,
];
const BUILTINS = new Set([...builtinModules, 'electron']);

/** Each specifier, with whether `require` (not `import`) loads it: a package's exports differ. */
function specifiers(code: string): { spec: string; required: boolean }[] {
  const out: { spec: string; required: boolean }[] = [];
  SPECIFIERS.forEach((re, i) => {
    for (const m of code.matchAll(re)) out.push({ spec: m[2]!, required: i === 1 });
  });
  return out;
}

/** The entry a package's `exports` (or `main`) names for `subpath` ('.' for the package itself). */
function packageEntry(manifest: { main?: string; exports?: unknown }, subpath: string, required: boolean): string | null {
  const pick = (value: unknown): string | null => {
    if (typeof value === 'string') return value;
    if (value === null || typeof value !== 'object') return null;
    const v = value as Record<string, unknown>;
    for (const key of ['node', required ? 'require' : 'import', 'default']) if (key in v) return pick(v[key]);
    return null;
  };
  const exp = manifest.exports;
  if (exp !== undefined) {
    const conditional = typeof exp === 'object' && exp !== null && !Object.keys(exp).some((k) => k.startsWith('.'));
    if (subpath === '.' && (typeof exp === 'string' || conditional)) return pick(exp);
    if (typeof exp === 'object' && exp !== null && !conditional) return pick((exp as Record<string, unknown>)[subpath]);
    return null;
  }
  return subpath === '.' ? (manifest.main ?? 'index.js') : subpath;
}

/** Files reached from `roots`, and imports of files that are not packed. */
export function reachable(packed: PackedFiles, roots: readonly string[]): { reached: Set<string>; missing: string[] } {
  const reached = new Set<string>();
  const missing: string[] = [];
  const queue: string[] = [];
  const has = (p: string): boolean => packed.files.has(p);
  const add = (p: string): void => {
    if (!reached.has(p)) {
      reached.add(p);
      queue.push(p);
    }
  };
  const asFile = (p: string): string | null => [p, `${p}.js`, `${p}.cjs`, `${p}.json`, `${p}/index.js`].find(has) ?? null;
  const resolvePackage = (spec: string, required: boolean): string | null => {
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    const sub = spec.slice(name.length);
    const root = `node_modules/${name}`;
    const manifestBytes = packed.read(`${root}/package.json`);
    if (manifestBytes === null) return null;
    for (const f of packed.files) if (f.startsWith(`${root}/`) && (/\/package\.json$|\/LICEN[CS]E[^/]*$|\.node$/i.test(f))) reached.add(f);
    const entry = packageEntry(JSON.parse(manifestBytes.toString('utf8')) as { main?: string; exports?: unknown }, sub === '' ? '.' : `.${sub}`, required);
    return entry === null ? null : asFile(path.posix.join(root, entry));
  };
  for (const r of roots) if (has(r)) add(r);
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (!/\.(?:js|cjs|mjs)$/.test(file)) continue;
    const code = packed.read(file)?.toString('utf8') ?? '';
    for (const { spec, required } of specifiers(code)) {
      if (spec.startsWith('node:') || BUILTINS.has(spec)) continue;
      const target = spec.startsWith('.') ? asFile(path.posix.join(path.posix.dirname(file), spec)) : resolvePackage(spec, required);
      if (target !== null) add(target);
      else {
        const wanted = spec.startsWith('.') ? path.posix.join(path.posix.dirname(file), spec) : spec;
        if (!(wanted in LEFT_OUT) && !TRIED.some(([re]) => re.test(spec))) missing.push(`${file} imports ${spec}, which is not packed`);
      }
    }
  }
  return { reached, missing };
}
