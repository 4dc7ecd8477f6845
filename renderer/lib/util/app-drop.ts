/**
 * A place where dropping files opens them with an app (its catalog tile, its page's "Open with"
 * card) rather than installing them, as a drop anywhere else does (DESIGN §5, §6). The window's
 * drop overlay leaves a drop that a zone has claimed alone.
 */
import { type GestureApp, gestures } from '../state/gestures.svelte.ts';
import { prompts } from '../state/prompts.svelte.ts';

const claimed = new WeakSet<Event>();

/** Whether an app's drop zone took this drop (the window then does not install it). */
export function dropClaimed(e: Event): boolean {
  return claimed.has(e);
}

function hasFiles(e: DragEvent): boolean {
  return e.dataTransfer?.types.includes('Files') ?? false;
}

/** Svelte action: `use:appDrop={app}` makes the element a drop zone for `app`. */
export function appDrop(node: HTMLElement, app: GestureApp): { update(a: GestureApp): void; destroy(): void } {
  let current = app;
  let depth = 0;
  const leave = (): void => {
    depth = 0;
    node.removeAttribute('data-drop-over');
    if (gestures.target?.id === current.id) gestures.target = null;
  };
  const enter = (e: DragEvent): void => {
    if (!hasFiles(e) || prompts.open) return;
    e.preventDefault();
    depth++;
    node.setAttribute('data-drop-over', '');
    gestures.target = current;
  };
  const over = (e: DragEvent): void => {
    if (!hasFiles(e) || prompts.open) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    if (gestures.target?.id !== current.id) gestures.target = current;
  };
  const out = (e: DragEvent): void => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) leave();
  };
  const drop = (e: DragEvent): void => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    leave();
    if (prompts.open || !e.dataTransfer) return;
    claimed.add(e);
    gestures.drop(current, e.dataTransfer);
  };
  // A drag that ends anywhere (dropped elsewhere, or cancelled with Esc) clears the highlight.
  const ended = (): void => leave();
  node.addEventListener('dragenter', enter);
  node.addEventListener('dragover', over);
  node.addEventListener('dragleave', out);
  node.addEventListener('drop', drop);
  window.addEventListener('drop', ended);
  window.addEventListener('dragend', ended);
  return {
    update(a) {
      current = a;
    },
    destroy() {
      leave();
      node.removeEventListener('dragenter', enter);
      node.removeEventListener('dragover', over);
      node.removeEventListener('dragleave', out);
      node.removeEventListener('drop', drop);
      window.removeEventListener('drop', ended);
      window.removeEventListener('dragend', ended);
    },
  };
}
