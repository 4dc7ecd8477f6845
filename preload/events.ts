/**
 * Every event of the contract (DESIGN §2), defined once as the schema of its payload; the types in
 * api.ts are derived from it. Main makes these payloads (main/api maps the launcher's own events to
 * them); the schemas document them and let tests check what main sends.
 */
import * as v from 'valibot';
import { GRANT_ACCESS, bytes, PROMPT_ANSWERS, PROMPT_OPERATIONS, RUN_OUTCOMES } from './schema-parts.ts';

const str = () => v.string();
const nullableInt = () => v.nullable(v.number());

/** A question for the person while an app runs (ask mode, DESIGN §5). Texts are already escaped. */
const promptRequest = v.object({
  promptId: str(),
  runId: str(),
  appId: str(),
  appName: str(),
  /** What the app is about to do, by its real name (every change asks as itself). */
  operation: v.picklist(PROMPT_OPERATIONS),
  /** The normalised host path. */
  path: str(),
  /** The folder an "allow always" would grant, and how. */
  folder: str(),
  grantAccess: v.picklist(GRANT_ACCESS),
  /** Why the app's manifest says it needs this, if it says. */
  reason: v.nullable(str()),
  /** When main stops waiting and denies (ISO time). */
  expiresAt: str(),
  /** The run is asking in quick succession: offer 'deny-run' and 'stop-run' first. */
  insistent: v.boolean(),
  /**
   * "Allow changes too?" (issue 13.3): a change inside this folder, granted read-only. Allow once
   * makes it read & write for the rest of the run; allow always widens its grant (`folder`).
   */
  upgrade: v.optional(str()),
});

/** A prompt request's payload. */
export type PromptRequest = v.InferOutput<typeof promptRequest>;

/** Events from main: name → the schema of its payload. */
export const EVENTS = {
  /** Terminal output of a run (guest output after the terminal filter, plus the line discipline's echo). */
  'run.output': v.object({
    runId: str(),
    data: bytes(),
    /**
     * Set by the web transport (main/web/server.ts): `data` is plain text (preload/plain-text.ts),
     * checked in main, so the page does not look at every byte again. Absent: not known.
     */
    plain: v.optional(v.boolean()),
  }),
  /** How a run ended, for the terminal's status line. */
  'run.exit': v.object({ runId: str(), outcome: v.picklist(RUN_OUTCOMES), exitCode: nullableInt(), message: str() }),
  /**
   * An install's progress: a download's bytes; then `stage` 'transpile' while a component is
   * prepared for the WASI 0.2 host (received and total are then its size).
   */
  'install.progress': v.object({ progressId: str(), received: v.number(), total: nullableInt(), stage: v.optional(v.picklist(['transpile'])) }),
  /** The catalog or an app's grants changed; views refresh. */
  'apps.changed': v.object({ appId: v.nullable(str()) }),
  /** A running app asks for something its grants do not cover; answer with prompt.answer. */
  'prompt.request': promptRequest,
  /** A prompt was answered (maybe in another window) or expired. */
  'prompt.closed': v.object({ promptId: str(), answer: v.picklist(PROMPT_ANSWERS) }),
  /**
   * A launch for the window to act on: review a double-clicked .wasm, open an app's terminal
   * (`Terrarium --run APP`, a second instance), or (the menu) install from a URL.
   */
  'shell.command': v.variant('kind', [
    v.object({ kind: v.literal('open-file'), path: str() }),
    v.object({ kind: v.literal('run'), app: str() }),
    v.object({ kind: v.literal('install-url') }),
  ]),
} satisfies Record<string, v.GenericSchema>;
