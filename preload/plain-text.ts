/**
 * Whether bytes are plain text (printable ASCII, tab, LF, CR: no escape or control sequence, nothing
 * beyond ASCII): text a terminal lays out the same whatever came before it, so a flood of it can be
 * skipped through (renderer/lib/components/terminal/write-batch.ts). Pure, dependency-free, shared
 * by main/web (which marks the output it sends) and the renderer.
 */

/** Plain bytes: printable ASCII, tab, LF, CR (1), the rest (0). */
const PLAIN = new Uint8Array(256);
PLAIN.fill(1, 0x20, 0x7f);
PLAIN[0x09] = PLAIN[0x0a] = PLAIN[0x0d] = 1;
const NO_WORDS = new Uint32Array(0);

/**
 * Whether `data` is plain text: printable ASCII, tab, LF, CR (no escape or control sequence).
 * Four bytes at a time: a word none of whose bytes is below 0x20 or at or above 0x7f is plain as
 * it stands; only the others (one in sixteen in text of 64-byte lines) are looked at byte by byte.
 */
export function isPlain(data: Uint8Array): boolean {
  const n = data.length;
  let i = 0;
  const aligned = Math.min(n, (4 - (data.byteOffset & 3)) & 3);
  for (; i < aligned; i++) if (PLAIN[data[i]!] === 0) return false;
  const words = n - i >= 4 ? new Uint32Array(data.buffer, data.byteOffset + i, (n - i) >>> 2) : NO_WORDS;
  for (let w = 0; w < words.length; w++) {
    const x = words[w]!;
    // Some byte < 0x20 ((x - 0x20…) & ~x), ≥ 0x80 (x), or 0x7f (x + 0x01…): look closer.
    if ((((x - 0x20202020) & ~x) | x | (x + 0x01010101)) & 0x80808080) {
      const at = i + 4 * w;
      if ((PLAIN[data[at]!]! & PLAIN[data[at + 1]!]! & PLAIN[data[at + 2]!]! & PLAIN[data[at + 3]!]!) === 0) return false;
    }
  }
  for (i += 4 * words.length; i < n; i++) if (PLAIN[data[i]!] === 0) return false;
  return true;
}
