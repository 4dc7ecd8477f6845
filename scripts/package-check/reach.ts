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

/** Imports the packed code makes on purpose of files (or packages) left out, each with the reason. */
export const LEFT_OUT: Readonly<Record<string, string>> = {
  'out/app/main/cli/ui-command.js': 'web mode is not packed; the packed CLI refuses `ui` before main/cli loads (main/desktop/cli-mode.ts)',
  '@bytecodealliance/jco-node-fs':
    "preview2-shim's native file helper, required by its I/O worker only to advise on a file: jco-transpile's generator never does (check:package transpiles with the packed generator)",
};

/**
 * Packed files that import, on purpose, files of a pattern left out (a chunk's name carries its
 * hash), each with the reason.
 */
export const LEFT_OUT_PATTERNS: readonly [RegExp, string][] = [
  [/^out\/cli\/ui-command-[\w-]{8}\.js$/, 'web mode is not packed; the packed CLI refuses `ui` before the bundle loads (main/desktop/cli-mode.ts)'],
];

/** Packages the packed code tries on purpose and does without (in a try/catch), each with the reason. */
const TRIED: readonly [RegExp, string][] = [
  [/^@koromix\/koffi-/, "koffi's per-platform packages: it tries them, then the resources folder, where the target's binary is"],
];

const SPECIFIERS = [
  /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
  /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
  /\b(?:import|export)\b[^'";]*?\bfrom\s*(['"])([^'"\n]+)\1/g,
  // A side-effect import starts a statement (so `… local import 'name' …` in a message is not one).
  /(?:^|[;{}])\s*import\s*(['"])([^'"\n]+)\1/gm,
  /\bnew\s+URL\s*\(\s*(['"])([^'"\n]+)\1\s*,\s*import\.meta\.url\s*\)/g,
  // A cached script's (scripts/bundle-cli.ts asCachedScript): its shim's `import()` and `import.meta.url`.
  /\bimportModule\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
  /\bnew\s+URL\s*\(\s*(['"])([^'"\n]+)\1\s*,\s*importMetaUrl\s*\)/g,
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
    if (typeof exp === 'object' && exp !== null && !conditional) {
      const map = exp as Record<string, unknown>;
      if (subpath in map) return pick(map[subpath]);
      // A subpath pattern ("./*": "./dist/*.js"): the longest matching prefix wins, as in Node.
      let best: [string, string] | null = null;
      for (const key of Object.keys(map)) {
        const [pre, post] = key.split('*') as [string, string | undefined];
        if (post === undefined || !subpath.startsWith(pre) || !subpath.endsWith(post) || subpath.length < pre.length + post.length) continue;
        if (best === null || pre.length > best[0].length) best = [pre, key];
      }
      if (best === null) return null;
      const [pre, key] = best;
      const post = key.slice(pre.length + 1);
      return pick(map[key])?.replaceAll('*', subpath.slice(pre.length, subpath.length - post.length)) ?? null;
    }
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
  /** The package folder Node finds for `name` from `file`: the nearest node_modules/NAME up the tree. */
  const packageRoot = (name: string, file: string): string | null => {
    for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
      const root = dir === '.' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
      if (has(`${root}/package.json`)) return root;
      if (dir === '.') return null;
    }
  };
  const resolvePackage = (spec: string, required: boolean, from: string): string | null => {
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    const sub = spec.slice(name.length);
    const root = packageRoot(name, from);
    const manifestBytes = root === null ? null : packed.read(`${root}/package.json`);
    if (root === null || manifestBytes === null) return null;
    for (const f of packed.files) {
      // The package's own manifest, licence and native binaries (not those of packages nested in it).
      if (f.startsWith(`${root}/`) && !f.slice(root.length + 1).includes('node_modules/') && (/\/package\.json$|\/LICEN[CS]E[^/]*$|\.node$/i.test(f))) reached.add(f);
    }
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
      const target = spec.startsWith('.') ? asFile(path.posix.join(path.posix.dirname(file), spec)) : resolvePackage(spec, required, file);
      if (target !== null) add(target);
      else {
        const wanted = spec.startsWith('.') ? path.posix.join(path.posix.dirname(file), spec) : spec;
        const what = `${file} imports ${spec}, which is not packed`;
        if (!(wanted in LEFT_OUT) && !LEFT_OUT_PATTERNS.some(([re]) => re.test(wanted)) && !TRIED.some(([re]) => re.test(spec)) && !missing.includes(what)) missing.push(what);
      }
    }
  }
  return { reached, missing };
}
