/**
 * The theme's type, shaped once while the page is idle (issue 14.5). The first time Chromium on
 * Linux lays out text in a font, size, weight and style it has not used yet, it asks the browser
 * process for that "strike"'s rendering settings with a synchronous message (FontCache::
 * GetFontPlatformData, ~0.5-3 ms each, more on a busy machine). The app page uses sizes and weights
 * the catalog does not, so its first layout paid ~7 of them (13 of its 20 ms): a Details click.
 * Laying out one invisible sample per strike of the theme's scale ahead of that moves them out of
 * the click; nothing is shown and the samples are removed at once.
 */

/** The theme's text sizes (theme.css `--text-*`) and weights used by its components. */
const SIZES = ['--text-xs', '--text-sm', '--text-md', '--text-lg', '--text-xl', '--text-2xl'];
const WEIGHTS = [400, 500, 600, 650, 700];
/** Characters beyond ASCII that the pages print (some come from fallback fonts, their own strikes). */
const SAMPLE = 'Aa0 …“”—·→×✓';
/** Strikes outside the scale: the app page's monogram (Monogram.svelte at size 64: 0.38 × 64 px, bold). */
const EXTRA = ['font-size:calc(64px * 0.38);font-weight:700'];

function span(parent: HTMLElement, style: string): void {
  const s = document.createElement('span');
  s.style.cssText = style;
  s.textContent = SAMPLE;
  parent.append(s);
}

/** Lays out one sample of each of the theme's strikes (UI font: sizes × weights, italic; monospace: as `code` inside each size). */
export function warmFonts(): void {
  const box = document.createElement('div');
  box.setAttribute('aria-hidden', 'true');
  box.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;overflow:hidden;visibility:hidden;contain:strict;pointer-events:none';
  for (const size of SIZES) {
    for (const weight of WEIGHTS) span(box, `font-size:var(${size});font-weight:${weight}`);
    span(box, `font-size:var(${size});font-style:italic`);
    for (const weight of [400, 600]) {
      span(box, `font-family:var(--font-mono);font-size:var(${size});font-weight:${weight}`);
      span(box, `font-family:var(--font-mono);font-size:calc(var(${size}) * 0.92);font-weight:${weight}`);
    }
  }
  for (const style of EXTRA) span(box, style);
  document.body.append(box);
  void box.offsetWidth; // the layout that shapes them
  box.remove();
}
