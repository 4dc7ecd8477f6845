/**
 * When the person last pressed a key or a pointer button in the page, for work that can wait a
 * moment after an input (a flood's drawing: components/terminal/write-batch.ts).
 */

let last = -Infinity;
let installed = false;

/** Starts tracking (once, in the capture phase). */
export function trackLastInput(): void {
  if (installed) return;
  installed = true;
  const note = (): void => {
    last = performance.now();
  };
  window.addEventListener('pointerdown', note, true);
  window.addEventListener('keydown', note, true);
}

/** The `performance.now()` time of the last key or pointer press; -Infinity before any. */
export function lastInputAt(): number {
  return last;
}
