/** Which screen the main pane shows. */

/** A screen of the main pane. */
export type View = { kind: 'catalog' } | { kind: 'app'; appId: string } | { kind: 'terminal'; tabId: string };

function sameView(a: View, b: View): boolean {
  if (a.kind === 'app' && b.kind === 'app') return a.appId === b.appId;
  if (a.kind === 'terminal' && b.kind === 'terminal') return a.tabId === b.tabId;
  return a.kind === b.kind;
}

/** The current screen; components switch screens only through `go`. */
export class Nav {
  view = $state<View>({ kind: 'catalog' });

  go(view: View): void {
    // The screen left is hidden (the catalog, a tab's pane: kept mounted) or removed: what has the
    // keyboard in it gives it up now. Left focused while hidden, Chromium takes it off at its focus
    // fix-up, a task of its own that lays the whole page out (ClearFocusedElementIfNeeded: ~2-4 ms
    // traced) ahead of what is queued behind it: a Run's reply and first output
    // (docs/design/wpage.md). Keys pressed until the next screen takes the keyboard go to it
    // (util/hidden-focus.ts `awaitKeys`) or nowhere, as they did once the fix-up had run.
    const el = typeof document === 'undefined' || sameView(this.view, view) ? null : document.activeElement;
    if (el instanceof HTMLElement && el.closest('main') !== null) el.blur();
    this.view = view;
  }

  /** Whether the terminal tab `tabId` is on screen. */
  showing(tabId: string): boolean {
    return this.view.kind === 'terminal' && this.view.tabId === tabId;
  }
}

export const nav = new Nav();
