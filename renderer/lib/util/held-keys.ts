/**
 * Which keys are held down right now, so a permission prompt can tell a fresh key press from one
 * that began before it appeared (DESIGN §5: typed-ahead keys cannot answer a prompt).
 */

const held = new Set<string>();
let installed = false;

/** The identity of a key for holding and releasing: its physical code, else its value. */
export function keyId(e: Pick<KeyboardEvent, 'code' | 'key'>): string {
  return e.code || e.key;
}

/** Starts tracking (once, in the capture phase, ahead of every other listener). */
export function trackHeldKeys(): void {
  if (installed) return;
  installed = true;
  window.addEventListener('keydown', (e) => held.add(keyId(e)), true);
  window.addEventListener('keyup', (e) => held.delete(keyId(e)), true);
  // A key released while the window had no focus sends no keyup; repeats of a key still held
  // come back marked `repeat`, which prompts ignore anyway.
  window.addEventListener('blur', () => held.clear());
}

/** The keys down at this moment. */
export function heldKeys(): Set<string> {
  return new Set(held);
}
