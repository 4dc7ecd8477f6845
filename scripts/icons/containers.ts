/**
 * The icon containers each platform wants, written from PNGs (and raw pixels) without native tools:
 * Windows `.ico` and macOS `.icns`.
 */

/** One rendered size: its PNG, and its pixels as resvg gives them (RGBA, premultiplied alpha). */
export interface Rendered {
  size: number;
  png: Uint8Array;
  premultipliedRgba: Uint8Array;
}

/** Sizes an `.ico` stores as classic 32-bit bitmaps (old shell code paths and NSIS read these best). */
const BITMAP_MAX = 48;

/**
 * A Windows icon: a directory of images, bitmaps up to 48 px and PNGs above (Vista's format, which
 * 256 px entries must use). Entries are written in the order given.
 */
export function ico(images: Rendered[]): Buffer {
  const bodies = images.map((img) => (img.size <= BITMAP_MAX ? bitmap(img) : Buffer.from(img.png)));
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach((img, i) => {
    if (img.size > 256) throw new Error(`an .ico entry cannot be ${img.size} px`);
    const at = 6 + 16 * i;
    header.writeUInt8(img.size === 256 ? 0 : img.size, at); // 0 means 256
    header.writeUInt8(img.size === 256 ? 0 : img.size, at + 1);
    header.writeUInt8(0, at + 2); // no palette
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4); // planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(bodies[i]!.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += bodies[i]!.length;
  });
  return Buffer.concat([header, ...bodies]);
}

/** A BITMAPINFOHEADER image: bottom-up BGRA rows with straight alpha, then an all-clear AND mask. */
function bitmap({ size, premultipliedRgba: px }: Rendered): Buffer {
  const maskRow = Math.ceil(size / 32) * 4;
  const out = Buffer.alloc(40 + size * size * 4 + maskRow * size);
  out.writeUInt32LE(40, 0);
  out.writeInt32LE(size, 4);
  out.writeInt32LE(size * 2, 8); // the colour rows and the mask rows
  out.writeUInt16LE(1, 12);
  out.writeUInt16LE(32, 14);
  out.writeUInt32LE(0, 16); // BI_RGB
  out.writeUInt32LE(size * size * 4 + maskRow * size, 20);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const src = (y * size + x) * 4;
      const dst = 40 + ((size - 1 - y) * size + x) * 4;
      const a = px[src + 3]!;
      const straight = (c: number): number => (a === 0 ? 0 : Math.min(255, Math.round((c * 255) / a)));
      out[dst] = straight(px[src + 2]!);
      out[dst + 1] = straight(px[src + 1]!);
      out[dst + 2] = straight(px[src]!);
      out[dst + 3] = a;
    }
  }
  return out;
}

/** The `.icns` element types that hold a PNG, with the pixel size each holds. */
export const ICNS_TYPES: readonly (readonly [type: string, size: number])[] = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32], // 16 pt @2x
  ['icp6', 64],
  ['ic12', 64], // 32 pt @2x
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256], // 128 pt @2x
  ['ic09', 512],
  ['ic14', 512], // 256 pt @2x
  ['ic10', 1024], // 512 pt @2x
];

/** A macOS icon family: 'icns', the total length, then (type, length, PNG) elements, all big-endian. */
export function icns(pngBySize: ReadonlyMap<number, Uint8Array>): Buffer {
  const elements = ICNS_TYPES.map(([type, size]) => {
    const png = pngBySize.get(size);
    if (png === undefined) throw new Error(`no ${size} px image for the icns ${type} element`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + elements.reduce((n, e) => n + e.length, 0), 4);
  return Buffer.concat([head, ...elements]);
}
