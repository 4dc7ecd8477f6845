/**
 * The library at scale (issue 3): 10,000 installed apps; times opening the library, listing the
 * catalog, searching it and looking one app up. Medians of repeated runs; not a test.
 *
 *   npm run bench:library [-- --apps 10000 --runs 20]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { insertApp } from '../main/library/apps.ts';
import { inspectModule } from '../main/library/inspect.ts';
import { Library } from '../main/library/library.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const APPS = arg('apps', 10_000);
const RUNS = arg('runs', 20);
const WORDS = ['audio', 'image', 'text', 'convert', 'compress', 'search', 'format', 'speech', 'chess', 'math'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(f: () => T): [number, T] {
  const t = performance.now();
  const r = f();
  return [performance.now() - t, r];
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-bench-lib-'));
try {
  const lib = Library.open(home);
  const inspection = await inspectModule(fs.readFileSync(new URL('../test/fixtures/args_env.wasm', import.meta.url)));
  const seed = lib.db.transaction(() => {
    for (let i = 0; i < APPS; i++) {
      const w1 = WORDS[i % WORDS.length]!;
      const w2 = WORDS[(i * 7) % WORDS.length]!;
      insertApp(lib.db, crypto.randomBytes(4).toString('hex') + i.toString(16), {
        name: `${w1}-${w2}-${i}`, version: `1.${i % 10}.0`, description: `A ${w1} tool that can ${w2} things (#${i})`,
        sourceKind: 'file', source: `/apps/${i}.wasm`, sha256: inspection.sha256, size: inspection.size,
        manifest: null, inspection,
      }, Date.now() - i * 1000);
    }
  });
  const [seedMs] = time(() => seed());
  lib.close();

  const open: number[] = [];
  const list: number[] = [];
  const search: number[] = [];
  const lookup: number[] = [];
  let listed = 0;
  let found = 0;
  for (let r = 0; r < RUNS; r++) {
    const [o, l] = time(() => Library.open(home));
    open.push(o);
    const [a, all] = time(() => l.list());
    list.push(a);
    listed = all.length;
    const [s, hits] = time(() => l.list({ search: 'speech' }));
    search.push(s);
    found = hits.length;
    const i = (r * 97) % APPS;
    const [k] = time(() => l.app(`${WORDS[i % WORDS.length]}-${WORDS[(i * 7) % WORDS.length]}-${i}`));
    lookup.push(k);
    l.close();
  }
  const rows = [
    ['open the library', median(open), 50],
    [`list the catalog (${listed} apps)`, median(list), 20],
    [`search the catalog (${found} hits)`, median(search), 20],
    ['look up one app by name', median(lookup), 20],
  ] as const;
  const out = [
    `Library with ${APPS} apps (seeded in ${seedMs.toFixed(0)} ms), ${RUNS} runs, median ms; Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}`,
    '',
    '| Operation | Median (ms) | Target (ms) | Meets |',
    '|---|--:|--:|---|',
    ...rows.map(([op, ms, target]) => `| ${op} | ${ms.toFixed(2)} | < ${target} | ${ms < target ? 'yes' : 'no'} |`),
  ].join('\n');
  console.log(out);
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
