/** `window.terrarium` for the renderer: the contract the preload exposes (preload/index.ts). */
import type { TerrariumApi } from './api.ts';

declare global {
  interface Window {
    /** The desktop app's API; absent in web mode, where renderer/lib/api.ts uses the WebSocket transport. */
    readonly terrarium?: TerrariumApi;
  }
}

export {};
