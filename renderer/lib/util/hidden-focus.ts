/**
 * Keys never act on what is not on screen. A screen kept mounted while hidden (the catalog, a
 * terminal pane of another tab) may still hold the keyboard for a moment after it is hidden: the
 * browser moves focus off a hidden element only at its next style update, and a key pressed in
 * between would reach it (Enter on the catalog's Run button just clicked would start the app a
 * second time; typed text would reach a run whose tab is no longer shown). Such a key is dropped
 * and the hidden element loses focus; the screen now shown takes the keyboard itself.
 */

let installed = false;

/** Whether `el` is inside a part of the page that is hidden or inert. */
export function offScreen(el: Element | null): boolean {
  return el !== null && el !== document.body && el.closest('[hidden], [inert]') !== null;
}

/** Starts guarding (once, in the capture phase, after held-keys.ts's tracker so it still sees every key). */
export function guardHiddenFocus(): void {
  if (installed) return;
  installed = true;
  const guard = (e: KeyboardEvent): void => {
    const el = document.activeElement;
    if (!offScreen(el)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    (el as HTMLElement).blur();
  };
  window.addEventListener('keydown', guard, true);
  window.addEventListener('keypress', guard, true);
}
