/**
 * Keys never act on what is not on screen. A screen kept mounted while hidden (the catalog, a
 * terminal pane of another tab) may still hold the keyboard for a moment after it is hidden: the
 * browser moves focus off a hidden element only at its next style update, and a key pressed in
 * between would reach it (Enter on the catalog's Run button just clicked would start the app a
 * second time; typed text would reach a run whose tab is no longer shown). Such a key is dropped
 * and the hidden element loses focus, unless a part just shown is about to take the keyboard
 * (`awaitKeys`): then it is handed to that part.
 */

let installed = false;
/** The part about to take the keyboard, and what it does with a key pressed meanwhile. */
let awaiting: ((e: KeyboardEvent) => void) | null = null;

/** Whether `el` is inside a part of the page that is hidden or inert. */
export function offScreen(el: Element | null): boolean {
  return el !== null && el !== document.body && el.closest('[hidden], [inert]') !== null;
}

/**
 * A part just shown takes the keyboard shortly (a terminal pane, at its first frame): until the
 * returned release is called, a keydown the page would otherwise not give to anything on screen
 * (focus on a hidden part, or on nothing) goes to `take` instead. The last caller wins.
 */
export function awaitKeys(take: (e: KeyboardEvent) => void): () => void {
  awaiting = take;
  return () => {
    if (awaiting === take) awaiting = null;
  };
}

/** Starts guarding (once, in the capture phase, after held-keys.ts's tracker so it still sees every key). */
export function guardHiddenFocus(): void {
  if (installed) return;
  installed = true;
  const guard = (e: KeyboardEvent): void => {
    const el = document.activeElement;
    const nowhere = el === null || el === document.body;
    if (!nowhere && !offScreen(el)) return;
    if (awaiting !== null) {
      if (e.type === 'keydown') awaiting(e);
    } else if (nowhere) {
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
    if (!nowhere && awaiting === null) (el as HTMLElement).blur();
  };
  window.addEventListener('keydown', guard, true);
  window.addEventListener('keypress', guard, true);
}
