/**
 * A natively-0.2 command component (issue 15.4): test/fixtures/components/notes.component.wasm,
 * a JavaScript program made a component by componentize-qjs (build.sh), which calls
 * wasi:cli, wasi:io and wasi:filesystem 0.2 directly, with no preview1 adapter, so it can only run
 * on the WASI 0.2 host. A file-and-stdin workload through a read-only and a read-write grant:
 * stdin read to its end, a file read from the read-only folder, a file written to the read-write
 * one; writing to the read-only folder fails with `read-only`, escapes (`..`, absolute paths,
 * links planted in the read-write folder) with `not-permitted`, and nothing outside is touched.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { preview1Core } from '../../../main/wasm/unbundle.ts';
import { componentOutline } from '../../../main/wasm/component.ts';
import { runCli } from '../../helpers/cli.ts';
import { repoRoot } from '../../helpers/paths.ts';
import { realTempDir, removeTempDirs } from '../../helpers/temp.ts';

const NOTES = join(repoRoot, 'test', 'fixtures', 'components', 'notes.component.wasm');

afterEach(removeTempDirs);

/** The component copied as notes.wasm (its argv[0]), and a read-only and a read-write folder. */
function setup(): { file: string; ro: string; rw: string; outside: string } {
  const file = join(realTempDir('native'), 'notes.wasm');
  copyFileSync(NOTES, file);
  const ro = realTempDir('native-ro');
  writeFileSync(join(ro, 'in.txt'), 'héllo from a read-only folder');
  const rw = realTempDir('native-rw');
  const outside = realTempDir('native-outside');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  return { file, ro, rw, outside };
}

describe('a natively-0.2 component (componentize-qjs, no preview1 adapter)', () => {
  it('is a component with no preview1 core: it can only run on the WASI 0.2 host', () => {
    const bytes = readFileSync(NOTES);
    expect(preview1Core(bytes)).toBeNull();
    const o = componentOutline(bytes);
    expect(o.imports).toEqual(expect.arrayContaining(['wasi:filesystem/types@0.2.12', 'wasi:io/streams@0.2.12', 'wasi:cli/stdin@0.2.12']));
    expect(o.imports.some((i) => i.startsWith('wasi_snapshot_preview1'))).toBe(false);
    expect(o.exports).toContain('wasi:cli/run@0.2.12');
  });

  it('reads stdin and a read-only file, writes into the read-write folder, and is refused the rest', async () => {
    const { file, ro, rw, outside } = setup();
    mkdirSync(join(rw, 'old'));
    const r = await runCli(['run', '--dir', `${ro}::/in:ro`, '--dir', `${rw}::/out`, file, '--',
      'stdin', 'read:/in/in.txt', 'write:/out/up.txt', 'mkdir:/out/made', 'list:/out', 'read:/out/up.txt',
      'write:/in/new.txt', 'mkdir:/in/dir', `read:/in/../${outside.split('/').pop()}/secret.txt`, `read:${outside}/secret.txt`,
    ], { input: 'first line\nsecond ünï ✓\n' });
    expect(r.stdout.toString()).toBe([
      'stdin 28 bytes',
      'read /in/in.txt: héllo from a read-only folder',
      'write /out/up.txt 28 bytes',
      'mkdir /out/made ok',
      'list /out: made old up.txt',
      'read /out/up.txt: FIRST LINE\nSECOND ÜNÏ ✓\n',
      'write /in/new.txt error=read-only',
      'mkdir /in/dir error=read-only',
      `read /in/../${outside.split('/').pop()}/secret.txt error=not-permitted`,
      `read ${outside}/secret.txt error=not-permitted`,
      '',
    ].join('\n'));
    expect(r.code).toBe(1); // run's error result: some steps failed
    expect(readFileSync(join(rw, 'up.txt'), 'utf8')).toBe('FIRST LINE\nSECOND ÜNÏ ✓\n');
    expect(readdirSync(ro)).toEqual(['in.txt']);
    expect(readdirSync(outside)).toEqual(['secret.txt']);
  });

  it('links planted in the read-write folder lead nowhere outside it: every use is not-permitted, nothing changes', async () => {
    const { file, ro, rw, outside } = setup();
    symlinkSync(join(outside, 'secret.txt'), join(rw, 'file-link'));
    symlinkSync(outside, join(rw, 'dir-link'));
    symlinkSync(relative(rw, ro), join(rw, 'relative-link'));
    const steps = ['read:/out/file-link', 'write:/out/file-link', 'read:/out/dir-link/secret.txt', 'list:/out/dir-link',
      'write:/out/dir-link/new.txt', 'mkdir:/out/dir-link/made', 'read:/out/relative-link/in.txt'];
    const r = await runCli(['run', '--dir', `${ro}::/in:ro`, '--dir', `${rw}::/out`, file, '--', ...steps], { input: 'x' });
    expect(r.stdout.toString()).toBe(steps.map((s) => `${s.replace(':', ' ')} error=not-permitted\n`).join(''));
    expect(r.code).toBe(1);
    expect(readdirSync(outside)).toEqual(['secret.txt']);
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    expect(readdirSync(ro)).toEqual(['in.txt']);
  });

  it('a run whose steps all succeed exits 0 with nothing on stderr', async () => {
    const { file, ro, rw } = setup();
    const r = await runCli(['run', '--dir', `${ro}::/in:ro`, '--dir', `${rw}::/out`, file, '--', 'stdin', 'write:/out/copy.txt', 'list:/in'], { input: 'x' });
    expect({ code: r.code, stdout: r.stdout.toString(), stderr: r.stderr.toString() })
      .toEqual({ code: 0, stdout: 'stdin 1 bytes\nwrite /out/copy.txt 1 bytes\nlist /in: in.txt\n', stderr: '' });
  });
});
