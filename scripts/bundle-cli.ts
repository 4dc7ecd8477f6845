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

/** Builds the bundle; returns the source files it was made from (relative to the project). */
export async function bundleCli(): Promise<string[]> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const bundle = await rolldown({
    cwd: root,
    // `worker.js` beside the chunk holding run.ts: where run.ts looks for its worker.
    input: { cli: 'main/cli.ts', worker: 'main/runtime/worker.js' },
    platform: 'node',
    // Only our own sources are bundled: every package stays where npm put it, because some read
    // files beside their own (jco-transpile's generator loads its .core.wasm; native modules).
    external: (id: string) => builtinModules.includes(id) || id.startsWith('node:') || !(id.startsWith('.') || path.isAbsolute(id)),
    logLevel: 'warn',
  });
  const { output } = await bundle.write({ dir: outDir, format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunk-[hash].js' });
  await bundle.close();
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
