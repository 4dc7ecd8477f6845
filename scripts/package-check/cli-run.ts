/**
 * Runs the packed `terrarium` command of an unpacked Linux build the way an installed one runs:
 * its launcher (resources/bin/terrarium) starts the app's executable in CLI mode, and the stand-in
 * executable hands that to plain Node, standing in for Electron's main process, on the packed
 * files (the asar's contents and its unpacked native module, laid out as Electron shows them to
 * the app). A real module goes through `install`, `grant`, `run` with the grant, an exit code, and stdin
 * to stdout byte for byte; a natively-0.2 component installed (so transpiled by the packed
 * jco-transpile, issue 15) and run on the WASI 0.2 host with a grant; then the
 * app's own command, as "Add as a command" writes it, through the packed CLI. The packed command
 * is the bundled one (main/desktop/cli-mode.ts): its script caches must be in the user's folder.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandLauncher } from '../../main/integration/commands.ts';
import { readAsar } from './asar.ts';

/** The packed app as Electron's asar support shows it to the code: every file, the unpacked ones included. */
export function extractApp(resources: string, dest: string): string {
  const asar = readAsar(path.join(resources, 'app.asar'));
  for (const e of asar.entries) {
    const target = path.join(dest, ...e.path.split('/'));
    if (e.kind === 'dir') fs.mkdirSync(target, { recursive: true });
    else if (e.kind === 'file') {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const bytes = e.unpacked ? fs.readFileSync(path.join(resources, 'app.asar.unpacked', ...e.path.split('/'))) : asar.read(e.path);
      if (bytes !== null) fs.writeFileSync(target, bytes);
    }
  }
  const main = (JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8')) as { main: string }).main;
  return path.join(dest, main);
}

interface Step {
  args: string[];
  status: number;
  stdout?: string;
  stderr?: RegExp;
}

/** Runs the steps through `launcher`; returns what went differently from what each expects. */
export function runPackedCli(launcher: string, entry: string, work: string, fixtures: string): string[] {
  const home = path.join(work, 'cli-home');
  const data = path.join(work, 'cli-data');
  fs.mkdirSync(data, { recursive: true });
  // Bytes a shell would mangle: a tab, a quote, a non-ASCII letter, no final newline.
  fs.writeFileSync(path.join(data, 'note.txt'), 'tab\there "quoted" é');
  const outside = path.join(work, 'outside.txt');
  fs.writeFileSync(outside, 'not granted');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: work, TERRARIUM_HOME: home, TERRARIUM_STAND_IN_NODE: process.execPath, TERRARIUM_STAND_IN_ENTRY: entry, TERRARIUM_STAND_IN_RESOURCES: path.dirname(path.dirname(launcher)) };
  const steps: Step[] = [
    { args: ['install', path.join(fixtures, 'e2e_cat.wasm'), '--name', 'cat'], status: 0 },
    { args: ['install', path.join(fixtures, 'proc.wasm')], status: 0 },
    { args: ['grant', 'cat', '--dir', `${data}::/data:ro`], status: 0 },
    // Outside its grant, with no terminal to ask on, the app is denied (WASI's EACCES is 2).
    { args: ['run', 'cat', '--', '/data/note.txt', '/elsewhere'], status: 0, stdout: 'cat /data/note.txt tab\there "quoted" é\ncat /elsewhere errno=2\n' },
    // Chromium would read a switch after the command's `--`, if the launcher's own `--` were not first.
    { args: ['run', 'proc', '--', 'exit', '7', '--type=renderer'], status: 7, stdout: 'exiting 7\n' },
    { args: ['run', 'no-such-app'], status: 1, stderr: /no-such-app/ },
    // A natively-0.2 component: installing it transpiles it with the packed generator (in a worker),
    // and it runs on the WASI 0.2 host with its grant; outside it, with no terminal, it is denied.
    { args: ['install', path.join(fixtures, 'components', 'notes.component.wasm'), '--name', 'notes'], status: 0 },
    { args: ['grant', 'notes', '--dir', `${data}::/data:ro`], status: 0 },
    { args: ['run', 'notes', '--', 'read:/data/note.txt', 'list:/data', `read:${outside}`], status: 1, stdout: `read /data/note.txt: tab\there "quoted" é\nlist /data: note.txt\nread ${outside} error=access\n` },
    { args: ['ui', '--web'], status: 2, stderr: /own window/ },
  ];
  const problems: string[] = [];
  for (const step of steps) problems.push(...check(launcher, step, env));
  // The packed runtime's native host calls (koffi, from the resources folder) load and pass their
  // self-test: forced, a missing or broken binary is an error (exit 70) instead of the portable calls.
  problems.push(...check(launcher, { args: ['run', 'cat', '--', '/data/note.txt'], status: 0, stdout: 'cat /data/note.txt tab\there "quoted" é\n' }, { ...env, TERRARIUM_HOST_CALLS: 'native' }));
  // A run that would fit on the command's own thread, in a run worker instead (the packed bundled
  // worker, run.ts workerEntry): its exit code and output.
  const inWorker = { ...env, TERRARIUM_SAME_THREAD: '0' };
  problems.push(...check(launcher, { args: ['run', 'proc', '--', 'exit', '7'], status: 7, stdout: 'exiting 7\n' }, inWorker));
  // stdin to stdout through a module run directly: every byte value, as it is (on the command's
  // thread, and through a run worker's rings).
  const bytes = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));
  for (const [how, e] of [['', env], [' (in a worker)', inWorker]] as const) {
    const echo = spawnSync(launcher, ['run', path.join(fixtures, 'stdio.wasm'), '--', 'echo'], { env: e, input: bytes, timeout: 30_000 });
    if (echo.status !== 0 || !echo.stdout.equals(bytes)) problems.push(`terrarium run stdio.wasm -- echo${how} exited with ${echo.status} and gave back ${echo.stdout?.length ?? 0} of ${bytes.length} bytes${echo.stdout?.equals(bytes) ? '' : ', not the same'}`);
  }
  problems.push(...checkRoute(launcher, env, work, fixtures));
  // "Add as a command" for the app, as the desktop app writes it on Linux (main/integration),
  // run as a person would run it: the app's own command, through the packed CLI.
  const info = spawnSync(launcher, ['info', 'cat', '--json'], { env, encoding: 'utf8' });
  const id = info.status === 0 ? (JSON.parse(info.stdout) as { id: string }).id : null;
  if (id === null) return [...problems, `terrarium info cat --json failed: ${info.stderr}`];
  const command = path.join(work, 'cli-bin', 'cat');
  fs.mkdirSync(path.dirname(command), { recursive: true });
  fs.writeFileSync(command, commandLauncher({ platform: 'linux', home: work, executable: '', icon: '', cli: [launcher] }, { id, name: 'cat' }), { mode: 0o755 });
  problems.push(...check(command, { args: ['/data/note.txt'], status: 0, stdout: 'cat /data/note.txt tab\there "quoted" é\n' }, env));
  // The packed command is the bundled one (main/desktop/cli-mode.ts): its scripts' V8 code caches,
  // one per kind of start, are in the user's cache folder ($HOME/.cache here); out/app's writes none.
  const scripts = path.join(work, '.cache', 'terrarium', 'compile', 'scripts');
  const caches = fs.existsSync(scripts) ? fs.readdirSync(scripts) : [];
  for (const kind of ['other', 'run-app', 'run-file']) {
    if (!caches.some((c) => c.startsWith('shell-') && c.endsWith(`.t1.${kind}`))) problems.push(`the packed command left no script cache of the bundle's shell for a start of kind ${kind} in the user's cache folder (${caches.join(', ')})`);
  }
  return problems;
}

/**
 * The packed command's route (main/desktop/cli-mode.ts, compile-cache.cjs `startPackaged`): a
 * `run FILE` on the command's thread runs the bundle's main script from its code cache and imports
 * no module of the bundle (no out/cli/cli.js, no shim) on that thread, as bin/terrarium.js runs a
 * fresh bundle. An import hook (module.registerHooks, through NODE_OPTIONS) reports every module
 * of out/cli the command's thread resolves; the run must still give its output, and the shell's
 * script cache of the run-file kind must be the one it used (written by an earlier run).
 */
function checkRoute(launcher: string, env: NodeJS.ProcessEnv, work: string, fixtures: string): string[] {
  const hook = path.join(work, 'trace-bundle-imports.mjs');
  fs.writeFileSync(hook, [
    "import { registerHooks } from 'node:module';",
    "import { isMainThread } from 'node:worker_threads';",
    'if (isMainThread) registerHooks({',
    '  resolve(spec, context, next) {',
    '    const r = next(spec, context);',
    "    if (r.url.includes('/out/cli/')) process.stderr.write(`BUNDLE MODULE ${r.url}\\n`);",
    '    return r;',
    '  },',
    '});',
    '',
  ].join('\n'));
  const traced = { ...env, NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` };
  const bytes = 'through the cached script\n';
  const what = `${path.basename(launcher)} run stdio.wasm -- echo (its modules traced)`;
  const r = spawnSync(launcher, ['run', path.join(fixtures, 'stdio.wasm'), '--', 'echo'], { env: traced, input: bytes, encoding: 'utf8', timeout: 30_000 });
  if (r.error) return [`${what}: ${r.error.message}`];
  if (r.status !== 0 || r.stdout !== bytes) return [`${what} exited with ${r.status} and printed ${JSON.stringify(r.stdout)}: ${r.stderr.trim()}`];
  const imported = r.stderr.split('\n').filter((l) => l.startsWith('BUNDLE MODULE '));
  if (imported.length > 0) return [`${what} imported modules of the bundle instead of running its script from the cache (compile-cache.cjs startPackaged): ${imported.join('; ')}`];
  return [];
}

/** Runs one step; returns what went differently (nothing, when all is well). */
function check(launcher: string, step: Step, env: NodeJS.ProcessEnv): string[] {
  const r = spawnSync(launcher, step.args, { env, encoding: 'utf8', timeout: 30_000 });
  const what = `${path.basename(launcher)} ${step.args.join(' ')}`;
  if (r.error) return [`${what}: ${r.error.message}`];
  if (r.status !== step.status) return [`${what} exited with ${r.status}, not ${step.status}: ${r.stderr.trim()}`];
  if (step.stdout !== undefined && r.stdout !== step.stdout) return [`${what} printed ${JSON.stringify(r.stdout)}, not ${JSON.stringify(step.stdout)}`];
  if (step.stderr !== undefined && !step.stderr.test(r.stderr)) return [`${what} said ${JSON.stringify(r.stderr)} on stderr`];
  return [];
}
