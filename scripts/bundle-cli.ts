/**
 * `npm run build` step: the `terrarium` command and a run's worker as plain JavaScript in
 * `out/cli/` (rolldown, vite's bundler), so a start-up loads a few ES modules instead of
 * type-stripping dozens of `.ts` files (Node 24 loads its stripper at every start: ~40 ms here).
 * `bin/terrarium.js` uses the bundle while `out/cli/sources.json` says it is newer than every
 * source it was made from, and the `.ts` sources otherwise (a checkout edited since its build).
 * The packaged app does not carry it (it runs `out/app`, compiled by tsc).
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { rolldown } from 'rolldown';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'out', 'cli');

/** `id` relative to the project, with forward slashes. */
const rel = (id: string): string => path.relative(root, id).split(path.sep).join('/');

/**
 * The chunks, by the path of a command that loads them: every module Node loads at start costs a
 * resolve, a read and a link, so `terrarium run FILE.wasm` loads five (the entry, the shell, the
 * run, the runtime and the binary reader) instead of the eighteen of rolldown's automatic split
 * (issue 14.2), and `--version` two.
 * A module in no group is split automatically (the library commands, `ui --web`, the api).
 */
const GROUPS: { name: string; test: RegExp; priority: number }[] = [
  // What every command loads: the definitions, the parser, help, the coded error, safe text, and
  // the few small helpers that runs and the library share (showing app text, the data folder, the log).
  {
    name: 'shell', priority: 5,
    test: /^(main\/cli\/(commands|define|parse|exit-codes|exit|help|suggest|usage-error)|main\/shared\/coded-error|preload\/safe-text|main\/api\/terminal-prompt|main\/launcher\/(prompt-text|run-answers|host-log)|main\/library\/home)\.ts$/,
  },
  // Reading WebAssembly binaries and the shared leaf: the runtime and the library both need them.
  // (The transpiler's worker entry stays apart, like a run's.)
  { name: 'wasm', test: /^main\/(wasm\/(?!transpile-worker\.js$)|shared\/)/, priority: 4 },
  // The runtime (a run's worker loads it too; the worker's own entry stays apart). The WASI 0.2
  // host is not in it (only its program.ts, which every load consults): only a component run
  // imports the host (lazily), and it loads node:crypto.
  { name: 'runtime', test: /^main\/runtime\/(?!worker[.-]|p2\/(?!program\.ts$))/, priority: 3 },
  // `run`'s own modules and the api's terminal entry, with the light parts they use.
  { name: 'run', test: /^main\/(cli\/(run-command|run-args|values|tty-screen)|api\/terminal-run)\.ts$/, priority: 2 },
  // `run APP`'s own modules: the api's app entry, the terminal's prompt and hints.
  { name: 'app-run', test: /^main\/(cli\/(app-run|tty-prompt|hint-limit)|api\/terminal-app)\.ts$/, priority: 2 },
  // The library and the launcher's run preparation (`run APP` and the library commands); the
  // window's sessions (sessions, warm, scrollback, prompts, line discipline) go with the api.
  { name: 'library', test: /^main\/(library\/|launcher\/(?!(sessions|warm|scrollback|prompts|line-discipline)\.ts$))/, priority: 1 },
];

const BUILTIN = new Set(builtinModules);
const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || BUILTIN.has(spec);
const IMPORT_LINE = /^import\s+(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+([\w$]+))?\s*(?:from\s*)?"([^"]+)";[ \t]*$/gm;

/**
 * `code` (a rendered chunk) with each static import of a Node built-in turned into a constant
 * from `process.getBuiltinModule`. An ES import of a built-in makes Node build its ES facade,
 * which reads every export: for node:fs that loads fs/promises, the file streams, readline and
 * the whole stream library (~5 ms of a start here, issue 14.2), none of which a run uses.
 * Throws when an import of a built-in is left in a form this does not know (the build fails).
 */
export function builtinsAtFirstUse(code: string): string {
  const out = code.replace(IMPORT_LINE, (line, dflt?: string, named?: string, ns?: string, spec = '') => {
    if (!isBuiltin(spec)) return line;
    const get = `process.getBuiltinModule(${JSON.stringify(spec)})`;
    const consts: string[] = [];
    if (dflt !== undefined) consts.push(`const ${dflt} = ${get};`);
    if (ns !== undefined) consts.push(`const ${ns} = ${get};`);
    if (named !== undefined) {
      const names = named.split(',').map((n) => n.trim()).filter((n) => n !== '').map((n) => n.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, '$1: $2'));
      if (names.length > 0) consts.push(`const { ${names.join(', ')} } = ${get};`);
    }
    return consts.join(' '); // an import for its side effects only: a built-in has none a chunk needs
  });
  const left = /^import\b[^;]*["'](node:[^"']+|[^"'./][^"']*)["']/gm;
  for (const m of out.matchAll(left)) {
    if (isBuiltin(m[1]!)) throw new Error(`bundle-cli: an import of ${m[1]} in a form builtinsAtFirstUse does not know: ${m[0]}`);
  }
  return out;
}

/**
 * `code` (a written chunk) with every character above U+00FF written as a `\uXXXX` escape (a
 * character outside the BMP as its two surrogates), so Node reads the chunk as a one-byte
 * string: one character above U+00FF (a dash in a comment) makes the whole chunk a two-byte
 * string, which the compile cache turns into UTF-8 to hash at every start (~37 instructions a
 * character: ~7–9 M instructions of a `run`, 4–5 % of it, in callgrind) and the scanner reads
 * more slowly. Comments, strings, templates, regular expressions and names read the escape as the
 * character; a `String.raw` template would not, so one holding such a character fails the build.
 */
export function latin1Source(code: string): string {
  const raw = /String\.raw`[^`]*[^\0-\xff][^`]*`/.exec(code);
  if (raw) throw new Error(`bundle-cli: a String.raw template holds a character above U+00FF, which latin1Source cannot escape: ${raw[0].slice(0, 80)}`);
  return code.replace(/[^\0-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Builds the bundle; returns the source files it was made from (relative to the project). */
export async function bundleCli(): Promise<string[]> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const bundle = await rolldown({
    cwd: root,
    // Chunks may export more than their entry did (required by the groups below).
    preserveEntrySignatures: 'allow-extension',
    // `worker.js` beside the chunk holding run.ts: where run.ts looks for its worker; likewise
    // `transpile-worker.js` beside the chunk holding wasm/transpile.ts.
    input: { 'cli': 'main/cli.ts', 'worker': 'main/runtime/worker.js', 'transpile-worker': 'main/wasm/transpile-worker.js' },
    platform: 'node',
    // Only our own sources are bundled: every package stays where npm put it, because some read
    // files beside their own (jco-transpile's generator loads its .core.wasm; native modules).
    external: (id: string) => builtinModules.includes(id) || id.startsWith('node:') || !(id.startsWith('.') || path.isAbsolute(id)),
    logLevel: 'warn',
    plugins: [{ name: 'builtins-at-first-use', renderChunk: (code: string) => ({ code: builtinsAtFirstUse(code) }) }],
    // A lazily imported module that a group also holds stays in its group's chunk: as intended.
    onLog: (level, log, handler) => {
      if (log.code !== 'INEFFECTIVE_DYNAMIC_IMPORT') handler(level, log);
    },
  });
  const { output } = await bundle.write({
    dir: outDir, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js',
    codeSplitting: { includeDependenciesRecursively: false, groups: GROUPS.map((g) => ({ name: g.name, priority: g.priority, test: (id: string) => g.test.test(rel(id)) })) },
  });
  await bundle.close();
  // After writing: characters rolldown prints after the renderChunk step are escaped too.
  for (const o of output) {
    if (o.type !== 'chunk') continue;
    const file = path.join(outDir, o.fileName);
    fs.writeFileSync(file, latin1Source(fs.readFileSync(file, 'utf8')));
  }
  const sources = new Set<string>();
  for (const o of output) {
    if (o.type !== 'chunk') continue;
    for (const id of o.moduleIds) {
      if (path.isAbsolute(id) && !id.includes(`${path.sep}node_modules${path.sep}`)) sources.add(path.relative(root, id));
    }
  }
  const list = [...sources].sort();
  fs.writeFileSync(path.join(outDir, 'sources.json'), `${JSON.stringify({ sources: list })}\n`);
  return list;
}

if (import.meta.main) {
  const sources = await bundleCli();
  process.stdout.write(`out/cli: the command and its worker bundled from ${sources.length} sources\n`);
}
