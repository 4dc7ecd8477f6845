/** The monogram avatar of an app: up to two letters and a colour derived from its name. */

/** "flite" → "FL", "my-tool" → "MT", "args_env" → "AE". */
export function monogramLetters(name: string): string {
  const words = name.split(/[\s_\-.]+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length >= 2) return (first(words[0]!) + first(words[1]!)).toUpperCase();
  const w = words[0] ?? name;
  const letters = [...w.replace(/[^\p{L}\p{N}]/gu, '')];
  return letters.slice(0, 2).join('').toUpperCase() || '?';
}

function first(w: string): string {
  return [...w.replace(/[^\p{L}\p{N}]/gu, '')][0] ?? '';
}

/** OKLCH hues that stay clear and distinct behind white letters (no muddy olive or khaki). */
const HUES = [25, 50, 145, 170, 195, 225, 255, 285, 315, 345];

/** A stable OKLCH hue for `name` (FNV-1a into the palette). */
export function monogramHue(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return HUES[(h >>> 0) % HUES.length]!;
}
