/**
 * What the launcher tells its owner, in its own words (it does not import the contract: main/api
 * maps these to the contract's events and results, main/api/shapes.ts, where the compiler checks
 * that each still fits).
 */
import type { AskOperation } from '../runtime/ask.ts';
import type { Choice } from './run-answers.ts';

/** A run the launcher is supervising. */
export interface SessionInfo {
  runId: string;
  /** The run's number in the run history and the activity log (null for "Run once"). */
  runNumber: number | null;
  appId: string;
  appName: string;
  /** The arguments the app got (its default ones, then the ones given), without argv[0]. */
  args: string[];
  startedAt: string;
}

/** How a run ended, in words for the terminal's status line. */
export interface RunExit {
  runId: string;
  outcome: 'exit' | 'trap' | 'timeout' | 'cancelled' | 'crash' | 'load-error';
  exitCode: number | null;
  message: string;
}

/** A question for the person while an app runs (ask mode, DESIGN §5). Texts are already escaped. */
export interface PromptRequest {
  promptId: string;
  runId: string;
  appId: string;
  appName: string;
  operation: AskOperation;
  /** The normalised host path. */
  path: string;
  /** The folder an "allow always" would grant, and how. */
  folder: string;
  grantAccess: 'read' | 'read-write';
  reason: string | null;
  /** When the launcher stops waiting and denies (ISO time). */
  expiresAt: string;
  /** The run is asking in quick succession: offer the answers about the whole run first. */
  insistent: boolean;
  /** "Allow changes too?": a change inside this read-only folder the person may widen (issue 13.3). */
  upgrade?: string;
}

/** The launcher's events: name → payload. */
export interface LauncherEvents {
  /** Terminal output of a run (guest output after the terminal filter, plus the line discipline's echo). */
  'run.output': { runId: string; data: Uint8Array };
  'run.exit': RunExit;
  /** An app's runs, grants or decisions changed. */
  'apps.changed': { appId: string | null };
  'prompt.request': PromptRequest;
  /** A prompt was answered or expired. */
  'prompt.closed': { promptId: string; answer: Choice };
}

/** Where the launcher sends its events. */
export type LauncherEmit = <K extends keyof LauncherEvents>(name: K, payload: LauncherEvents[K]) => void;

/** A run a reloaded window gets back: live or finished, its latest output and how many earlier bytes were not kept. */
export interface RecentRun extends SessionInfo {
  /** How it ended; null while it runs. */
  exit: RunExit | null;
  output: Uint8Array;
  cut: number;
}
