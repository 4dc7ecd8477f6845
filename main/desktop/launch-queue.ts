/**
 * Launch requests (a `.wasm` to open, an app to run) from the first launch, a second instance or
 * macOS's `open-file`, held until the window's page has loaded and then handed to it.
 */
import type { LaunchRequest } from '../integration/launch-args.ts';

/** A request that asks for something: a launch's, or the menu's Install from URL…. */
export type LaunchAction = Exclude<LaunchRequest, { kind: 'none' }> | { kind: 'install-url' };

export interface LaunchQueue {
  /** Delivers `request` now if a window is attached, else keeps it (requests of kind 'none' are dropped). */
  push(request: LaunchRequest | LaunchAction): void;
  /** Starts delivering to `deliver`, first what was kept, in order. */
  attach(deliver: (request: LaunchAction) => void): void;
  /** Stops delivering (the window closed); requests are kept again. */
  detach(): void;
}

export function createLaunchQueue(): LaunchQueue {
  const pending: LaunchAction[] = [];
  let target: ((request: LaunchAction) => void) | null = null;
  return {
    push(request) {
      if (request.kind === 'none') return;
      if (target !== null) target(request);
      else pending.push(request);
    },
    attach(deliver) {
      target = deliver;
      for (const request of pending.splice(0)) deliver(request);
    },
    detach() {
      target = null;
    },
  };
}
