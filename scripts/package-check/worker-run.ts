/**
 * Runs a real guest in a run worker of the packed app, the way its main process starts one: plain
 * Node (standing in for Electron's main process, with `process.resourcesPath` set as Electron sets
 * it) imports the packed main/runtime/run.js from the extracted asar (a folder named app.asar, as
 * Electron shows it to the code), boots a spare worker and runs the guest in it with startRun.
 * Checks that the worker started from the bundled worker the package carries (out/cli/worker.js),
 * that the guest's output and exit are right, that the worker's V8 code cache went to the user's
 * cache folder, and that nothing was written inside the app (an asar is read-only).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The probe, run as an ES module by plain Node: its arguments are run.js's URL, the resources folder and the guest's file. */
const PROBE = `
const [runUrl, resources, guest] = process.argv.slice(2);
process.resourcesPath = resources;
const fs = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');
const run = await import(runUrl);
const entry = run.workerEntry().href;
const spare = run.bootWorker();
// A spare writes the worker's script cache once booted (compile-cache.cjs, worker-main.ts): wait for it.
const scripts = path.join(process.env.XDG_CACHE_HOME, 'terrarium', 'compile', 'scripts');
const workerCaches = () => (fs.existsSync(scripts) ? fs.readdirSync(scripts).filter((n) => n.endsWith('.worker')) : []);
for (let i = 0; i < 200 && workerCaches().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
let stdout = '';
const handle = run.startRun({
  module: WebAssembly.compile(fs.readFileSync(guest)),
  args: ['hello'], env: [], preopens: [],
  onOutput: (stream, data) => { if (stream === 1) stdout += Buffer.from(data).toString('utf8'); },
}, spare);
const outcome = await handle.done;
process.stdout.write(JSON.stringify({ entry, outcome, stdout, caches: workerCaches() }));
process.exit(0);
`;

/** Every file under `dir` (relative paths), with its size and modification time. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const st = fs.lstatSync(path.join(dir, rel));
    if (!st.isDirectory()) out.set(rel, `${st.size}:${st.mtimeMs}`);
  }
  return out;
}

/**
 * Runs `guest` (a hello module printing `expected`) in the packed app at `app` (the extracted
 * asar, a folder named app.asar) with `resources` as its resources folder; returns what went wrong.
 */
export function runPackedWorker(app: string, resources: string, work: string, guest: string, expected: string): string[] {
  const runJs = path.join(app, 'out', 'app', 'main', 'runtime', 'run.js');
  const home = path.join(work, 'worker-home');
  const cache = path.join(home, '.cache');
  fs.mkdirSync(home, { recursive: true });
  // A file, not `--eval`: a worker inherits the process's flags, and --input-type would refuse its file.
  const probe = path.join(work, 'worker-probe.mjs');
  fs.writeFileSync(probe, PROBE);
  const before = snapshot(app);
  const r = spawnSync(process.execPath, [probe, pathToFileURL(runJs).href, resources, guest], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: cache },
    timeout: 60_000,
  });
  if (r.status !== 0) return [`the packed run worker's probe exited with ${r.status}: ${r.stderr.trim() || r.error?.message}`];
  const got = JSON.parse(r.stdout) as { entry: string; outcome: { kind: string; code?: number }; stdout: string; caches: string[] };
  const problems: string[] = [];
  const bundled = pathToFileURL(path.join(app, 'out', 'cli', 'worker.js')).href;
  if (got.entry !== bundled) problems.push(`the packed run.js starts its workers from ${got.entry}, not the bundled worker (${bundled})`);
  if (got.outcome.kind !== 'exit' || got.outcome.code !== 0) problems.push(`a guest in the packed run worker ended ${JSON.stringify(got.outcome)}, not with exit code 0`);
  if (got.stdout !== expected) problems.push(`a guest in the packed run worker printed ${JSON.stringify(got.stdout)}, not ${JSON.stringify(expected)}`);
  if (got.caches.length !== 1) problems.push(`the packed run worker left ${got.caches.length} script caches of its kind in the user's cache folder (${got.caches.join(', ')}), not 1`);
  const after = snapshot(app);
  const changed = [...after].filter(([f, v]) => before.get(f) !== v).map(([f]) => f);
  if (changed.length > 0 || after.size !== before.size) problems.push(`the packed run worker wrote inside the app (read-only in an asar): ${changed.join(', ')}`);
  return problems;
}
