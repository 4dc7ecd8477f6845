/**
 * Used by same-thread-revoke.test.ts: installs
 * test/fixtures/revoke_times.wasm with a folder granted read & write, runs it with `terrarium run
 * APP` (process A), and once it has changed the folder's times runs `terrarium revoke` (process B).
 */
import fs from 'node:fs';
import { Library } from '../../main/library/library.ts';
import { cli, spawnCli } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { realTempDir } from '../helpers/temp.ts';

export interface RevokeResult {
  /** Process A's stdout. */
  out: string;
  code: number | null;
  folder: string;
  /** The folder's mtime (ms) when A's guest first reported a refusal (undefined: it never did). */
  timesAtRefusal: number | undefined;
  /** The folder's mtime (ms) once A has ended. */
  timesAtEnd: number;
}

export async function revokeMidRun(env: Record<string, string>): Promise<RevokeResult> {
  const home = realTempDir('secreview-home');
  const folder = realTempDir('secreview-granted');
  const lib = Library.open(home);
  try {
    const { app } = await lib.install({ kind: 'file', path: fixture('revoke_times.wasm') });
    lib.grant(app.id, [{ kind: 'folder', host: folder, guest: '/data', access: 'read-write' }]);
  } finally {
    lib.close();
  }
  const a = spawnCli(home, ['run', 'revoke_times', '--', '8'], { env });
  let out = '';
  let stderr = '';
  let timesAtRefusal: number | undefined;
  a.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const started = new Promise<void>((resolve, reject) => {
    a.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('times ok\n')) resolve();
      if (timesAtRefusal === undefined && out.includes('times errno')) timesAtRefusal = fs.statSync(folder).mtimeMs;
    });
    a.on('close', () => reject(new Error(`process A ended before its first round: ${out} ${stderr}`)));
  });
  const code = new Promise<number | null>((r) => a.on('close', r));
  try {
    await started;
    const b = await cli(home, ['revoke', 'revoke_times', '--dir', folder]);
    if (b.code !== 0) throw new Error(`terrarium revoke failed: ${b.stderr}`);
    const exitCode = await code;
    return { out, code: exitCode, folder, timesAtRefusal, timesAtEnd: fs.statSync(folder).mtimeMs };
  } finally {
    if (a.exitCode === null) a.kill('SIGKILL');
  }
}

