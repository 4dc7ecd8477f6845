/**
 * The native calls' self-test, remembered between processes: every `terrarium run` is a new
 * process, and the self-test (a temporary folder made, used and removed) cost it ~4 ms of CPU and
 * more in waits on a disk-backed temporary folder. A passed self-test is written down in the
 * user's own cache folder (in Node's compile cache folder, which the command and its workers turn on;
 * without it nothing is remembered) under everything its answer depends on: OS and kernel release,
 * architecture, Node's module ABI, koffi's version, the C library, and the temporary folder it ran
 * in. Any of them changed, it runs again. `TERRARIUM_SELF_TEST=always` ignores what was written.
 */
import fs from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** FNV-1a, 32 bits: a short file name for the key (the file holds the whole key, compared in full). */
function fnv(s: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** Where a passed self-test for `identity` (koffi and the C library) is written, and the key it holds. */
function record(identity: string): { file: string; key: string } | undefined {
  if (process.env.TERRARIUM_SELF_TEST === 'always') return undefined;
  const compile = module.getCompileCacheDir?.();
  if (compile === undefined) return undefined;
  const key = [process.platform, os.release(), process.arch, `abi ${process.versions.modules}`, identity, os.tmpdir()].join('\n');
  return { file: path.join(path.dirname(compile), 'host-calls', `proven-${fnv(key, 0x811c9dc5)}${fnv(key, 0x12345678)}`), key };
}

/** True when the self-test passed before on this very host setup (see above). */
export function provenBefore(identity: string): boolean {
  const r = record(identity);
  if (r === undefined) return false;
  try {
    return fs.readFileSync(r.file, 'utf8') === r.key;
  } catch {
    return false;
  }
}

/** Writes down that the self-test passed (best effort: a read-only cache only means testing again). */
export function rememberProven(identity: string): void {
  const r = record(identity);
  if (r === undefined) return;
  try {
    fs.mkdirSync(path.dirname(r.file), { recursive: true, mode: 0o700 });
    const tmp = `${r.file}.${process.pid}`;
    fs.writeFileSync(tmp, r.key, { mode: 0o600 });
    fs.renameSync(tmp, r.file);
  } catch {
    // Not remembered: the next process tests again.
  }
}
