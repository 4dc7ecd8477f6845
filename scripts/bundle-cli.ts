/**
 * `npm run build` step: the `terrarium` command and a run's worker as plain JavaScript in
 * `out/cli/` (rolldown, vite's bundler), so a start-up loads a few ES modules instead of
 * type-stripping dozens of `.ts` files (Node 24 loads its stripper at every start: ~40 ms here).
 * `bin/terrarium.js` uses the bundle while `out/cli/sources.json` says it is newer than every
 * source it was made from, and the `.ts` sources otherwise (a checkout edited since its build).
 * The packaged app carries it (but sources.json) and runs its command and run workers from it
 * (main/desktop/cli-mode.ts through out/cli/start.json, main/runtime/run.ts `packagedWorker`).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
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
  // What every command loads and `run FILE.wasm` needs: the definitions, the parser, help, the coded error, safe text,
  // the few helpers runs and the library share, `run`'s own modules, the binary reader and the runtime.
  {
    name: 'shell', priority: 5,
    test: /^(main\/cli\/(main|commands|define|parse|tokens|exit-codes|exit|help|suggest|usage-error|run-command|run-args|values|tty-screen)|main\/shared\/coded-error|preload\/safe-text|main\/api\/(terminal-prompt|terminal-run)|main\/launcher\/(prompt-text|run-answers|host-log)|main\/library\/home)\.ts$|^main\/(wasm\/(?!transpile-worker\.js$)|shared\/)|^main\/runtime\/(?!worker[.-]|p2\/(?!program\.ts$))/,
  },
  // The library, the launcher's run preparation (`run APP` and the library commands) and `run
  // APP`'s own modules (the api's app entry, the terminal's prompt and hints): one script, so a
  // `run APP` reads, deserialises and runs one script and its cache, not two (a chunk of its own
  // cost ~0.5 ms for 5 KB, ~0.6 M instructions; docs/design/runapp.md, seventh pass). The
  // window's sessions (sessions, warm, spares, scrollback, prompts, line discipline) go with the
  // api: spares.ts makes a BroadcastChannel, whose node:worker_threads (and the stream library it
  // loads) cost a `run APP` ~3 ms when it sat in this chunk.
  // The install path's own modules (library/install-path.ts): only an install imports them.
  { name: 'install', test: /^main\/library\/(install-path|download|inspect|inspect-component|inspect-error|wasmer-toml|install-component)\.ts$/, priority: 2 },
  {
    name: 'library', priority: 1,
    test: /^main\/(library\/|launcher\/(?!(sessions|warm|spares|scrollback|prompts|line-discipline)\.ts$)|cli\/(app-run|tty-prompt|hint-limit)\.ts$|api\/terminal-app\.ts$)/,
  },
];

const BUILTIN = new Set(builtinModules);
const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || BUILTIN.has(spec);
const IMPORT_LINE = /^import\s+(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+([\w$]+))?\s*(?:from\s*)?"([^"]+)";[ \t]*$/gm;

/**
 * The built-ins that neither Node's own start-up nor bin loads, and that `run FILE` needs none
 * of: node:os (errno names, the home and temporary folders) and node:module (koffi's require, the
 * compile cache's folder). Loading them costs a start ~0.3 and ~0.25 ms; a chunk's import of one
 * becomes an object (or, for a function imported by name, a function) that loads it at its first
 * use. The object is a Proxy that only reads properties (`os.constants`, `os.tmpdir()`): what the
 * sources do with these modules.
 */
const LOADED_AT_FIRST_USE = new Set(['os', 'module']);

/**
 * `code` (a rendered chunk) with each static import of a Node built-in turned into a constant
 * from `process.getBuiltinModule` (loaded at its first use for `LOADED_AT_FIRST_USE`). An ES import of a built-in makes Node build its ES facade,
 * which reads every export: for node:fs that loads fs/promises, the file streams, readline and
 * the whole stream library (~5 ms of a start here, issue 14.2), none of which a run uses.
 * Throws when an import of a built-in is left in a form this does not know (the build fails).
 */
export function builtinsAtFirstUse(code: string): string {
  const out = code.replace(IMPORT_LINE, (line, dflt?: string, named?: string, ns?: string, spec = '') => {
    if (!isBuiltin(spec)) return line;
    const get = `process.getBuiltinModule(${JSON.stringify(spec)})`;
    const lazy = LOADED_AT_FIRST_USE.has(spec.replace(/^node:/, ''));
    const consts: string[] = [];
    for (const whole of [dflt, ns]) {
      if (whole === undefined) continue;
      consts.push(lazy ? `const ${whole} = new Proxy({}, { get: (_, key) => ${get}[key] });` : `const ${whole} = ${get};`);
    }
    if (named !== undefined) {
      const names: string[] = [];
      const wrappers: string[] = [];
      for (const n of named.split(',').map((n) => n.trim()).filter((n) => n !== '')) {
        const [imported, local = imported] = n.split(/\s+as\s+/) as [string, string?];
        if (lazy && typeof (process.getBuiltinModule(spec) as Record<string, unknown>)[imported] === 'function') {
          wrappers.push(`const ${local} = (...args) => ${get}.${imported}(...args);`);
        } else {
          names.push(local === imported ? imported : `${imported}: ${local}`);
        }
      }
      if (names.length > 0) consts.push(`const { ${names.join(', ')} } = ${get};`);
      consts.push(...wrappers);
    }
    return consts.join(' '); // an import for its side effects only: a built-in has none a chunk needs
  });
  const left = /^import\b[^;]*["'](node:[^"']+|[^"'./][^"']*)["']/gm;
  for (const m of out.matchAll(left)) {
    if (isBuiltin(m[1]!)) throw new Error(`bundle-cli: an import of ${m[1]} in a form builtinsAtFirstUse does not know: ${m[0]}`);
  }
  return out;
}

/** A facade chunk's code: only `export { a as b, ... } from "./chunk.js";` (what rolldown makes for a lazily imported module inside a group). */
const FACADE = /^export \{([^}]*)\} from "\.\/([^"]+)";\s*$/;

/**
 * `chunks` (file name → code) with every `import("./facade.js")` of a facade chunk turned into an
 * import of the chunk it re-exports from, its names mapped: rolldown gives each lazily imported
 * module inside a group a facade of its own, and each is a module more to resolve, read and link
 * at its first import (~0.5 ms here; `run FILE` imported two: issue 14.2). Returns the facades'
 * file names, which nothing imports any more (the caller deletes them).
 */
export function skipFacades(chunks: Map<string, string>): string[] {
  const facades = new Map<string, string>();
  for (const [file, code] of chunks) {
    const m = FACADE.exec(code);
    if (m === null) continue;
    const names = m[1]!.split(',').map((n) => n.trim()).filter((n) => n !== '').map((n) => {
      const [local, exported = local] = n.split(/\s+as\s+/) as [string, string?];
      return `${JSON.stringify(exported)}: m.${local}`;
    });
    facades.set(file, `import(${JSON.stringify(`./${m[2]}`)}).then((m) => ({ ${names.join(', ')} }))`);
  }
  for (const [file, code] of chunks) {
    chunks.set(file, code.replace(/\bimport\("\.\/([^"]+)"\)/g, (call, target: string) => facades.get(target) ?? call));
  }
  return [...facades.keys()];
}

/** The group whose chunk runs as a cached script (`asCachedScript`) that bin starts: the one every command loads, `run FILE` whole. */
const SCRIPT_GROUP = 'shell';

/**
 * The other groups whose chunks run as cached scripts, through their shims: `run APP`'s path (the
 * library and its own modules). As ES modules, Node's compile cache held only their top levels,
 * so every library function a run called was compiled again at every start (issue 14.2).
 */
const SCRIPT_GROUPS_VIA_SHIM = ['library'];

/**
 * `code` with every non-ASCII character written as its `\\uXXXX` escape, which means the same in a
 * string, a template, a regular expression and a name: read as Latin-1 it is a one-byte string,
 * read and compiled faster than the two-byte string one `…` makes of the whole file (~0.3 ms of a
 * start here). A raw template would keep the escape's text: one with such a character fails the build.
 */
export function asciiOnly(code: string): string {
  for (const line of code.split('\n')) {
    if (/[^\x00-\x7f]/.test(line) && line.includes('String.raw')) throw new Error(`bundle-cli: a raw template with a non-ASCII character: ${line}`);
  }
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The script's own exports, for its lazy imports of itself (`asCachedScript`). */
const SELF = 'scriptExports$';
/** The script's parameter holding what its static imports name: the shim's namespaces of them, in order (`asCachedScript`). */
const DEPS = 'scriptDeps$';
/** A chunk's static import of names (`import { a as b } from "./x.js";`), a namespace or a default. */
const STATIC_IMPORT = /^import\s*(?:\{([^}]*)\}|\*\s*as\s+([\w$]+)|([\w$]+))\s*from\s*"([^"]+)";[ \t]*$/gm;

/**
 * Chunk `code` (ES module, its exports in one final `export { … };`) as a script
 * that main/compile-cache.js `loadCachedScript` runs with V8's code cache made after a run, and
 * the ES module `shim` that stands in its place (same file name: the other chunks import it).
 *
 * Node's compile cache is made when a module is compiled, so it holds only the module's top
 * level: every function a run calls is compiled again at every start (~7 ms of `run FILE`'s
 * ~18 here, measured with --no-lazy, issue 14.2). A script's cache can be made after the run, with
 * those functions in it. `import.meta.url` becomes the shim's, and a lazy `import()` the shim's
 * (a script's own needs a loader flag Node still calls experimental), except one of the chunk
 * itself (`shimName`), which is its own exports. An export must not be a `let` (a script's value
 * is copied once, not live); a form this does not know fails the build. `exports`: its names.
 * A static import (of another chunk: `imports` true) becomes a static import of the shim, whose
 * namespace the script is handed and takes the names from once, when it runs (so an imported
 * `let` would not be live either: the script chunks' own exports are checked). bin runs the start
 * chunk's script without its shim, so that one may have none (`imports` false).
 */
export function asCachedScript(code: string, scriptName: string, shimName: string, imports = false): { script: string; shim: string; exports: { local: string; exported: string }[]; deps: string[] } {
  const last = /\nexport \{([^}]*)\};\s*$/.exec(code);
  if (last === null) throw new Error('bundle-cli: the script chunk does not end in one export list');
  const pairs = last[1]!.split(',').map((n) => n.trim()).filter((n) => n !== '').map((n) => {
    const [local, exported = local] = n.split(/\s+as\s+/) as [string, string?];
    if (new RegExp(`^let ${local.replace(/\$/g, '\\$')}\\b`, 'm').test(code)) throw new Error(`bundle-cli: export ${exported} of the script chunk is a let (not live in a script)`);
    return { local, exported };
  });
  for (const name of [SELF, DEPS]) if (code.includes(name)) throw new Error(`bundle-cli: the script chunk uses the name ${name}`);
  const deps: string[] = [];
  let body = code.slice(0, last.index).replace(STATIC_IMPORT, (_line, named?: string, ns?: string, dflt?: string, spec = '') => {
    const dep = `${DEPS}[${deps.push(spec) - 1}]`;
    if (ns !== undefined) return `const ${ns} = ${dep};`;
    if (dflt !== undefined) return `const ${dflt} = ${dep}.default;`;
    const names = named!.split(',').map((n) => n.trim()).filter((n) => n !== '').map((n) => n.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, '"$1": $2'));
    return `const { ${names.join(', ')} } = ${dep};`;
  });
  if (/^import\s*[\w{*"]/m.test(body) || (!imports && deps.length > 0)) throw new Error('bundle-cli: the script chunk has a static import');
  body = body
    .replaceAll(`import(${JSON.stringify(`./${shimName}`)})`, `Promise.resolve(${SELF})`) // its own exports (a facade skipped)
    .replace(/(?<![.\w$])import\(/g, 'importModule(')
    .replace(/\bimport\.meta\.url\b/g, 'importMetaUrl');
  if (/\bimport\.meta\b/.test(body)) throw new Error('bundle-cli: the script chunk uses import.meta beyond its url');
  body = asciiOnly(body);
  // The exports with a null prototype: V8 makes such a literal a dictionary at once, where the
  // shell's ~85 names would each add a map transition and a descriptor (~0.9 M instructions of
  // every start, docs/design/start2.md). It is read a few times (bin, the chunks that import it).
  if (pairs.some((p) => p.exported === '__proto__')) throw new Error('bundle-cli: the script chunk exports __proto__');
  const script = `(function (importMetaUrl, importModule, ${DEPS}) {\nlet ${SELF};\n${body}\nreturn ${SELF} = { __proto__: null, ${pairs.map((p) => `${JSON.stringify(p.exported)}: ${p.local}`).join(', ')} };\n})\n`;
  const shim = [
    '// The ES module face of a script run from V8\'s code cache (scripts/bundle-cli.ts asCachedScript).',
    ...deps.map((spec, i) => `import * as _d${i} from ${JSON.stringify(spec)};`),
    'import { loadCachedScript } from "../../main/compile-cache.js";',
    `const { ${pairs.map((p, i) => `${JSON.stringify(p.exported)}: _${i}`).join(', ')} } = loadCachedScript(new URL(${JSON.stringify(`./${scriptName}`)}, import.meta.url), import.meta.url, (s) => import(s)${deps.length > 0 ? `, [${deps.map((_, i) => `_d${i}`).join(', ')}]` : ''});`,
    `export { ${pairs.map((p, i) => `_${i} as ${p.exported}`).join(', ')} };`,
    '',
  ].join('\n');
  return { script, shim, exports: pairs, deps };
}

/**
 * How bin/terrarium.js starts the bundle without an ES module of it (sources.json `start`): the
 * script to run, the shim beside it (what its `import.meta.url` and relative imports mean) and
 * the export that is cli/main.ts `runCli`.
 */
interface BundleStart {
  script: string;
  shim: string;
  main: string;
  /** Every script chunk by its shim's name: its script and its static imports, for bin to run it without the shim. */
  scripts: Record<string, { script: string; deps: string[] }>;
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
    plugins: [
      // main/compile-cache.js stays outside too (CommonJS behind an ES face, which rolldown would
      // bundle whole): a run's worker imports it as the shims do, one instance in the thread
      // (docs/design/runapp.md, eighth pass). From out/cli/, as the shims' import reads.
      { name: 'compile-cache-outside', resolveId: (id: string) => (/(^|\/)compile-cache\.js$/.test(id) ? { id: '../../main/compile-cache.js', external: 'relative' as const } : null) },{ name: 'builtins-at-first-use', renderChunk: (code: string) => ({ code: builtinsAtFirstUse(code) }) }],
    // A lazily imported module that a group also holds stays in its group's chunk: as intended.
    onLog: (level, log, handler) => {
      if (log.code !== 'INEFFECTIVE_DYNAMIC_IMPORT') handler(level, log);
    },
  });
  const { output } = await bundle.write({
    dir: outDir, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', comments: false,
    codeSplitting: { includeDependenciesRecursively: false, groups: GROUPS.map((g) => ({ name: g.name, priority: g.priority, test: (id: string) => g.test.test(rel(id)) })) },
  });
  await bundle.close();
  const chunks = new Map(output.flatMap((o) => (o.type === 'chunk' ? [[o.fileName, o.code] as const] : [])));
  const facades = skipFacades(chunks);
  let start: Omit<BundleStart, 'scripts'> | undefined;
  const scripts: BundleStart['scripts'] = {};
  for (const [file, code] of chunks) {
    if (facades.includes(file)) {
      fs.rmSync(path.join(outDir, file));
    } else if ([SCRIPT_GROUP, ...SCRIPT_GROUPS_VIA_SHIM].some((g) => new RegExp(`^${g}-[\\w-]{8}\\.js$`).test(file))) {
      // Named by its content, the script's own text (what asCachedScript makes of the chunk too: a
      // change there must not meet the code cache of the text before it): the code cache made for
      // it is looked up by this name, which only the shim holds.
      const isStart = file.startsWith(`${SCRIPT_GROUP}-`);
      const hash = createHash('sha256').update(asCachedScript(code, '', file, !isStart).script).digest('hex').slice(0, 16);
      const scriptName = `${file.replace(/\.js$/, '')}.${hash}.script.js`;
      const { script, shim, exports, deps } = asCachedScript(code, scriptName, file, !isStart);
      scripts[file] = { script: scriptName, deps };
      new vm.Script(script, { filename: scriptName }); // a syntax error fails the build, not a start
      fs.writeFileSync(path.join(outDir, scriptName), script);
      fs.writeFileSync(path.join(outDir, file), shim);
      if (isStart) {
        const main = exports.find((e) => e.local === 'runCli')?.exported;
        if (main === undefined) throw new Error('bundle-cli: the script chunk does not export cli/main.ts runCli');
        start = { script: scriptName, shim: file, main };
      }
    } else {
      fs.writeFileSync(path.join(outDir, file), asciiOnly(code)); // one-byte source: a two-byte chunk is turned into UTF-8 for the compile cache's hash at every start
    }
  }
  const sources = new Set<string>();
  for (const o of output) {
    if (o.type !== 'chunk') continue;
    for (const id of o.moduleIds) {
      if (path.isAbsolute(id) && !id.includes(`${path.sep}node_modules${path.sep}`)) sources.add(path.relative(root, id));
    }
  }
  const list = [...sources].sort();
  const bundleStart = start && { ...start, scripts };
  fs.writeFileSync(path.join(outDir, 'sources.json'), `${JSON.stringify({ sources: list, start: bundleStart })}\n`);
  // The start alone, for the packaged command (compile-cache.cjs `startPackaged`): a package
  // carries no sources and so no sources.json (electron-builder.config.ts), and one build made it.
  if (bundleStart !== undefined) fs.writeFileSync(path.join(outDir, 'start.json'), `${JSON.stringify(bundleStart)}\n`);
  return list;
}

if (import.meta.main) {
  const sources = await bundleCli();
  process.stdout.write(`out/cli: the command and its worker bundled from ${sources.length} sources\n`);
}
