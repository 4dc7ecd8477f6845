/** Which screen the main pane shows. */

/** A screen of the main pane. */
export type View = { kind: 'catalog' } | { kind: 'app'; appId: string } | { kind: 'terminal'; tabId: string };

/** The current screen; components switch screens only through `go`. */
export class Nav {
  view = $state<View>({ kind: 'catalog' });

  go(view: View): void {
    this.view = view;
  }

  /** Whether the terminal tab `tabId` is on screen. */
  showing(tabId: string): boolean {
    return this.view.kind === 'terminal' && this.view.tabId === tabId;
  }
}

export const nav = new Nav();
