/** The committed icons: every size each platform needs, in valid containers, and up to date with icon.svg. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.ts';
import { ICNS_TYPES } from '../../scripts/icons/containers.ts';
import { ICO_SIZES, LINUX_SIZES, generateIcons } from '../../scripts/icons/generate.ts';

const resources = path.join(repoRoot, 'resources');
const read = (rel: string) => fs.readFileSync(path.join(resources, rel));

/** A PNG's width and height, after checking its signature and that IHDR comes first. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('icons', () => {
  it('Linux: a PNG for every hicolor size from 16 to 512', () => {
    expect(fs.readdirSync(path.join(resources, 'icons')).sort()).toEqual(LINUX_SIZES.map((s) => `${s}x${s}.png`).sort());
    for (const s of LINUX_SIZES) expect(pngSize(read(`icons/${s}x${s}.png`))).toEqual([s, s]);
  });

  it('Windows: an .ico with bitmaps up to 48 px and PNGs up to 256 px', () => {
    const ico = read('icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    ICO_SIZES.forEach((size, i) => {
      const at = 6 + 16 * i;
      expect(ico[at] || 256).toBe(size);
      expect(ico[at + 1] || 256).toBe(size);
      expect(ico.readUInt16LE(at + 6)).toBe(32);
      const length = ico.readUInt32LE(at + 8);
      const body = ico.subarray(ico.readUInt32LE(at + 12), ico.readUInt32LE(at + 12) + length);
      expect(body.length).toBe(length);
      if (size <= 48) {
        expect([body.readUInt32LE(0), body.readInt32LE(4), body.readInt32LE(8), body.readUInt16LE(14)]).toEqual([40, size, size * 2, 32]);
        expect(length).toBe(40 + size * size * 4 + Math.ceil(size / 32) * 4 * size);
      } else expect(pngSize(body)).toEqual([size, size]);
    });
  });

  it('macOS: an .icns with every element from 16 px to 1024 px (512 pt @2x)', () => {
    const icns = read('icon.icns');
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: [string, number][] = [];
    for (let at = 8; at < icns.length; ) {
      const type = icns.toString('latin1', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      found.push([type, pngSize(icns.subarray(at + 8, at + length))[0]]);
      at += length;
    }
    expect(found).toEqual(ICNS_TYPES.map(([t, s]) => [t, s]));
  });

  it('match what `npm run icons` makes from resources/icon.svg', async () => {
    const files = await generateIcons(read('icon.svg').toString('utf8'));
    for (const [rel, bytes] of files) expect(Buffer.from(bytes).equals(read(rel)), `${rel} is stale: run npm run icons`).toBe(true);
  });

  it('keep the brand green and a transparent margin', async () => {
    const files = await generateIcons(read('icon.svg').toString('utf8'));
    const ico = Buffer.from(files.get('icon.ico')!);
    const bmp = ico.subarray(ico.readUInt32LE(6 + 16 * 3 + 12)); // the 48 px bitmap
    const pixel = (x: number, y: number) => {
      const at = 40 + ((47 - y) * 48 + x) * 4;
      return { b: bmp[at]!, g: bmp[at + 1]!, r: bmp[at + 2]!, a: bmp[at + 3]! };
    };
    expect(pixel(0, 0).a).toBe(0);
    const { r, g, b, a } = pixel(8, 30);
    expect(a).toBe(255);
    expect(g).toBeGreaterThan(r + 50);
    expect(g).toBeGreaterThan(b + 20);
  });
});
