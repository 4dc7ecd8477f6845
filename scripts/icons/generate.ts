/**
 * Every icon file the installers need, rasterised from the one source (resources/icon.svg) with
 * resvg compiled to WebAssembly, so the same bytes come out on every machine.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { ICNS_TYPES, type Rendered, icns, ico } from './containers.ts';

/** Linux's hicolor sizes (electron-builder installs resources/icons/NxN.png as they are). */
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;
/** The Windows icon's entries (Explorer's views, the taskbar at 100–200 %, and the 256 px tile). */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

let ready: Promise<void> | null = null;
function init(): Promise<void> {
  const require = createRequire(import.meta.url);
  ready ??= initWasm(fs.readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  return ready;
}

function render(svg: string, size: number): Rendered {
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } });
  const image = resvg.render();
  try {
    if (image.width !== size || image.height !== size) throw new Error(`the icon source must be square (got ${image.width}x${image.height})`);
    return { size, png: image.asPng(), premultipliedRgba: image.pixels };
  } finally {
    image.free();
    resvg.free();
  }
}

/** The files under resources/ (relative paths, '/'-separated) and their bytes. */
export async function generateIcons(svg: string): Promise<Map<string, Uint8Array>> {
  await init();
  const sizes = [...new Set<number>([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])].sort((a, b) => a - b);
  const rendered = new Map(sizes.map((s) => [s, render(svg, s)]));
  const files = new Map<string, Uint8Array>();
  for (const s of LINUX_SIZES) files.set(`icons/${s}x${s}.png`, rendered.get(s)!.png);
  files.set('icon.ico', ico(ICO_SIZES.map((s) => rendered.get(s)!)));
  files.set('icon.icns', icns(new Map([...rendered].map(([s, r]) => [s, r.png]))));
  return files;
}
