/**
 * Launches handed to the window (DESIGN §7, issue 6): a double-clicked `.wasm` opens the install
 * review for it; `Terrarium --run APP` (a desktop shortcut, a second launch) opens that app's
 * terminal tab, or shows the one already running it. A launch that arrives while a permission
 * prompt is open waits until it is answered, so nothing covers the question.
 */
import type { ShellCommand } from '../../../preload/api.ts';
import { on, request } from '../api.ts';
import { install } from './install.svelte.ts';
import { prompts } from './prompts.svelte.ts';
import { runs } from './runs.svelte.ts';
import { errorMessage, status } from './status.svelte.ts';

/** Launches not yet acted on, oldest first. */
export class Launches {
  private readonly waiting: ShellCommand[] = [];

  /** Subscribes to `shell.command`; call once after connecting. */
  listen(): void {
    on('shell.command', (c) => {
      this.waiting.push(c);
      this.drain();
    });
  }

  /** Acts on the waiting launches unless a prompt is open (call again once it closes). */
  drain(): void {
    while (!prompts.open && this.waiting.length > 0) void this.perform(this.waiting.shift()!);
  }

  private async perform(c: ShellCommand): Promise<void> {
    if (c.kind === 'open-file') {
      if (install.open) install.cancel();
      const label = c.path.split(/[\\/]/).pop() || c.path;
      await install.previewSource({ kind: 'file', path: c.path }, label);
      return;
    }
    if (c.kind === 'install-url') {
      if (!install.open) install.begin('url');
      return;
    }
    try {
      const d = await request('apps.get', { ref: c.app });
      runs.focusOrOpen({ id: d.app.id, name: d.app.name });
    } catch (err) {
      status.announce(`Cannot run ${c.app}: ${errorMessage(err)}`, 'error');
    }
  }
}

export const launches = new Launches();
