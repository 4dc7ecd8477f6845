/**
 * The install flow (DESIGN §6): choose a source, watch it arrive and be inspected, review what
 * the module can do, then add it — or cancel, which leaves the library unchanged.
 */
import type { InstallPreview, InstallSourceInput } from '../../../preload/api.ts';
import { on, request } from '../api.ts';
import { catalog } from './catalog.svelte.ts';
import { nav } from './nav.svelte.ts';
import { runs } from './runs.svelte.ts';
import { errorMessage, status } from './status.svelte.ts';

/** Where the dialog is. */
export type InstallStep = 'source' | 'working' | 'review' | 'error';
/** The source tabs. */
export type SourceTab = 'file' | 'url';

let progressSerial = 0;

/** The install dialog's state. */
export class InstallFlow {
  open = $state(false);
  step = $state<InstallStep>('source');
  tab = $state<SourceTab>('file');
  /** What is being fetched, e.g. the file name or URL. */
  label = $state('');
  progress = $state<{ received: number; total: number | null; stage?: 'transpile' } | null>(null);
  preview = $state<InstallPreview | null>(null);
  name = $state('');
  error = $state<string | null>(null);
  confirming = $state(false);
  /** Why confirming failed; the review stays on screen so the name can be changed. */
  reviewError = $state<string | null>(null);
  private progressId: string | null = null;
  /** Bumped on cancel, so a preview that answers late is cancelled too. */
  private attempt = 0;

  /** Subscribes to progress events; call once after connecting. */
  listen(): void {
    on('install.progress', (p) => {
      if (p.progressId === this.progressId) this.progress = { received: p.received, total: p.total, stage: p.stage };
    });
  }

  /** Opens the dialog at the source step. */
  begin(tab: SourceTab = this.tab): void {
    this.reset();
    this.tab = tab;
    this.open = true;
  }

  /** Reads a dropped file and previews it. */
  async fromFile(file: File): Promise<void> {
    this.reset();
    this.open = true;
    this.step = 'working';
    this.label = file.name;
    const mine = this.attempt;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (err) {
      return this.fail(`Could not read ${file.name}: ${errorMessage(err)}`);
    }
    if (mine !== this.attempt) return;
    await this.previewSource({ kind: 'bytes', fileName: file.name, bytes }, file.name);
  }

  /** Fetches and inspects `source`, then shows the review step. */
  async previewSource(source: InstallSourceInput, label: string, sha256?: string): Promise<void> {
    this.open = true;
    this.step = 'working';
    this.label = label;
    this.error = null;
    this.progress = null;
    const mine = ++this.attempt;
    this.progressId = `install-${++progressSerial}`;
    try {
      const preview = await request('install.preview', { source, sha256: sha256 || undefined, progressId: this.progressId });
      if (mine !== this.attempt) {
        void request('install.cancel', { previewId: preview.previewId }).catch(() => undefined);
        return;
      }
      this.preview = preview;
      this.name = preview.name;
      this.step = 'review';
    } catch (err) {
      if (mine === this.attempt) this.fail(errorMessage(err));
    }
  }

  /** Adds the reviewed module to the library and shows its app page. */
  async confirm(): Promise<void> {
    const p = this.preview;
    if (!p || this.confirming) return;
    this.confirming = true;
    this.reviewError = null;
    try {
      const name = this.name.trim();
      const r = await request('install.confirm', { previewId: p.previewId, name: name && name !== p.name ? name : undefined });
      this.preview = null;
      this.close();
      const verb = r.action === 'updated' ? 'Updated' : r.action === 'unchanged' ? 'Already up to date:' : 'Installed';
      status.announce(`${verb} ${r.app.name}`, 'success');
      await catalog.refresh();
      nav.go({ kind: 'app', appId: r.app.id });
    } catch (err) {
      this.reviewError = errorMessage(err);
    } finally {
      this.confirming = false;
    }
  }

  /**
   * Runs the reviewed module once in a terminal tab without installing it (its review is used up:
   * to install it afterwards, open it again). Nothing is added.
   */
  runOnce(): void {
    const p = this.preview;
    if (!p || this.confirming) return;
    this.preview = null; // not cancelled: the run takes it
    this.close();
    runs.openOnce({ previewId: p.previewId, name: p.name });
  }

  /** Cancels whatever step the dialog is at; nothing is added. */
  cancel(): void {
    this.attempt++;
    const p = this.preview;
    if (p) void request('install.cancel', { previewId: p.previewId }).catch(() => undefined);
    this.close();
  }

  /** Drops the reviewed module and shows the installed app that already has it (same SHA-256). */
  openExisting(appId: string): void {
    this.cancel();
    nav.go({ kind: 'app', appId });
  }

  /** From an error back to choosing a source. */
  back(): void {
    const p = this.preview;
    if (p) void request('install.cancel', { previewId: p.previewId }).catch(() => undefined);
    this.preview = null;
    this.error = null;
    this.step = 'source';
  }

  private fail(message: string): void {
    this.error = message;
    this.step = 'error';
  }

  private close(): void {
    this.open = false;
    this.reset();
  }

  private reset(): void {
    this.step = 'source';
    this.preview = null;
    this.progress = null;
    this.error = null;
    this.reviewError = null;
    this.name = '';
    this.label = '';
    this.progressId = null;
  }
}

export const install = new InstallFlow();
