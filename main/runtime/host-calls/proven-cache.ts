/**
 * The native calls' self-test, remembered between processes: every `terrarium run` is a new
 * process, and the self-test (a temporary folder made, used and removed) cost it ~4 ms of CPU and
 * more in waits on a disk-backed temporary folder. A passed self-test is written down in the
 * user's own cache folder (in Node's compile cache folder, which the command and its workers turn on;
 * without it nothing is remembered) under everything its answer depends on: OS and kernel release,
 * architecture, Node's module ABI, the temporary folder it ran in (the record's key, known before
 * anything is loaded), and what was loaded: koffi's native module (its file and version) and the C
 * library (its name and version). Any of them changed, it runs again.
 * `TERRARIUM_SELF_TEST=always` ignores what was written.
 *
 * The record also says where koffi's native module was found, so that the next process opens that
 * file straight away instead of searching the folders `require` would (a `createRequire`, a stat
 * per folder, a package.json read: ~0.6 ms of every start that touches a file). The key holds the
 * folder of the script that searched (`from`), so each installation keeps its own record.
 */
import fs from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** What the native calls were loaded from: the self-test's verdict holds for exactly this. */
export interface NativeSetup {
  /** koffi's native module, as a file path; "" when koffi's own loader found it. */
  addon: string;
  /** Its version (koffi's `version`). */
  koffi: string;
  /** The C library's name, as loaded, and its version ("" where it does not say). */
  libc: string;
  libcVersion: string;
}

/** FNV-1a, 32 bits: a short file name for the key (the file holds the whole key, compared in full). */
function fnv(s: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** The folder of module URL `from` (where koffi is searched from). */
function folderOf(from: string): string {
  return from.slice(0, from.lastIndexOf('/') + 1);
}

/**
 * `os.release()` for the key: on Linux read from /proc (what uname(2) reports) without loading
 * node:os, which a run touching a file loaded for this key alone (~0.4 ms of its CPU, iospeed.md
 * round 7).
 */
function kernelRelease(): string {
  if (process.platform === 'linux') {
    try {
      return fs.readFileSync('/proc/sys/kernel/osrelease', 'latin1').trim();
    } catch {
      // no /proc: ask node:os
    }
  }
  return os.release();
}

/** `os.tmpdir()` for the key, found as Node finds it on POSIX (TMPDIR, TMP, TEMP, else /tmp; one trailing "/" dropped). */
function tempFolder(): string {
  if (process.platform === 'win32') return os.tmpdir();
  const env = process.env;
  const t = env.TMPDIR || env.TMP || env.TEMP || '/tmp';
  return t.length > 1 && t.endsWith('/') ? t.slice(0, -1) : t;
}

/** Where the record for a search from `from` is written, and the key it holds. */
function record(from: string): { file: string; key: string } | undefined {
  if (process.env.TERRARIUM_SELF_TEST === 'always') return undefined;
  const compile = module.getCompileCacheDir?.();
  if (compile === undefined) return undefined;
  const key = ['setup 2', process.platform, kernelRelease(), process.arch, `abi ${process.versions.modules}`, tempFolder(), folderOf(from)].join('\n');
  return { file: path.join(path.dirname(compile), 'host-calls', `proven-${fnv(key, 0x811c9dc5)}`), key };
}

const FIELDS = ['addon', 'koffi', 'libc', 'libcVersion'] as const;

/**
 * The setup a self-test passed with on this very host setup, for a search from module URL `from`
 * (see above); undefined when none was written (or it was written for another key).
 */
export function provenSetup(from: string): NativeSetup | undefined {
  const r = record(from);
  if (r === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(r.file, 'utf8');
  } catch {
    return undefined;
  }
  if (!text.startsWith(`${r.key}\n--\n`)) return undefined;
  const values = text.slice(r.key.length + 4).split('\n');
  if (values.length !== FIELDS.length) return undefined;
  const [addon, koffi, libc, libcVersion] = values as [string, string, string, string];
  return { addon, koffi, libc, libcVersion };
}

/** True when `a` and `b` are the same setup. */
export function sameSetup(a: NativeSetup | undefined, b: NativeSetup): boolean {
  return a !== undefined && FIELDS.every((f) => a[f] === b[f]);
}

/** Writes down that the self-test passed with `setup` (best effort: a read-only cache only means testing again). */
export function rememberProven(from: string, setup: NativeSetup): void {
  const r = record(from);
  if (r === undefined || FIELDS.some((f) => setup[f].includes('\n'))) return;
  try {
    fs.mkdirSync(path.dirname(r.file), { recursive: true, mode: 0o700 });
    const tmp = `${r.file}.${process.pid}`;
    fs.writeFileSync(tmp, `${r.key}\n--\n${FIELDS.map((f) => setup[f]).join('\n')}`, { mode: 0o600 });
    fs.renameSync(tmp, r.file);
  } catch {
    // Not remembered: the next process tests again.
  }
}
