/**
 * The hostile WASI 0.2 guest of secreview3 (fixtures/p2_hostile.c, a component that calls the
 * canonical ABI itself: no adapter, no libc) run by the real command with two folders: `/box`
 * (read-write) and `/ro` (read-only), filled fresh for each run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AskOperation } from '../../main/runtime/ask.ts';
import { type ComponentProgram, compileProgram } from '../../main/runtime/p2/program.ts';
import { type Preopen, startRun } from '../../main/runtime/run.ts';
import { transpileInWorker } from '../../main/wasm/transpile.ts';
import { type CliBytes, runCli } from '../helpers/cli.ts';
import { realTempDir } from '../helpers/temp.ts';

/** The built guest (fixtures/build-p2-hostile.sh). */
export const P2_HOSTILE = path.join(import.meta.dirname, 'fixtures', 'p2_hostile.component.wasm');

/** Fresh `/box` and `/ro` folders: box holds a.txt, b.txt, sub-a/, sub-b/; ro holds r.txt, sub/s.txt. */
export function folders(): { box: string; ro: string } {
  const root = realTempDir('secreview3-p2');
  const box = path.join(root, 'box');
  const ro = path.join(root, 'ro');
  fs.mkdirSync(path.join(box, 'sub-a'), { recursive: true });
  fs.mkdirSync(path.join(box, 'sub-b'));
  fs.mkdirSync(path.join(ro, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(box, 'a.txt'), 'AAAA-content');
  fs.writeFileSync(path.join(box, 'b.txt'), 'BBBB-content');
  fs.writeFileSync(path.join(box, 'sub-a', 'only-in-a'), '');
  fs.writeFileSync(path.join(box, 'sub-b', 'only-in-b'), '');
  fs.writeFileSync(path.join(ro, 'r.txt'), 'read only');
  fs.writeFileSync(path.join(ro, 'sub', 's.txt'), 'read only too');
  return { box, ro };
}

/** Every file and folder under `dir` with its content (files) and mtime: what a run must not change. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const p = path.join(dir, rel);
    const st = fs.lstatSync(p);
    out[rel] = `${st.isDirectory() ? 'dir' : fs.readFileSync(p, 'utf8')} @${st.mtimeMs}`;
  }
  return out;
}

/** Runs scenario `args` of the guest with `f`'s folders granted as /box and /ro (read-only). */
export function runGuest(f: { box: string; ro: string }, args: string[]): Promise<CliBytes> {
  return runCli(['run', '--dir', `${f.box}::/box`, '--dir', `${f.ro}::/ro:ro`, P2_HOSTILE, ...args]);
}

let program: Promise<ComponentProgram> | undefined;

/**
 * The guest's `held PREOPEN PATH MODE` scenario in a run of its own (startRun: a worker, as the
 * window runs apps) over `preopens` (the first is PREOPEN): `next()` is its next output line,
 * `op(o)` sends one operation and resolves to its answer. Stop the transpiler after (stopTranspiler).
 */
export function heldRun(preopens: Preopen[], file: string, mode: 'r' | 'rw', onAsk?: (op: AskOperation, p: string) => Promise<boolean>) {
  let out = '';
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  const handle = startRun({
    module: program ??= transpileInWorker(fs.readFileSync(P2_HOSTILE)).then((files) => compileProgram(files, 1024)),
    args: ['p2_hostile', 'held', preopens[0]!.guestPath, file, mode], env: [], preopens, onAsk,
    onOutput: (_s, d) => {
      out += Buffer.from(d).toString();
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const l = out.slice(0, nl);
        out = out.slice(nl + 1);
        const w = waiters.shift();
        if (w) w(l);
        else lines.push(l);
      }
    },
  });
  const next = (): Promise<string> => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise((r) => waiters.push(r)));
  const op = async (o: string): Promise<string> => {
    const answer = next();
    await handle.writeStdin(Buffer.from(`${o}\n`));
    return answer;
  };
  return { handle, next, op };
}
