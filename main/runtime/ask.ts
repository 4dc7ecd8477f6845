/**
 * Ask mode (DESIGN §5): the guest sees the host's folders under their own names through a root
 * preopen, and every access there that no grant covers pauses the worker and asks the main thread,
 * which asks the person. Nothing is opened before the answer. Answers for a path are remembered
 * for the run (allow once, deny); "always" answers are persisted by main.
 */
import path from 'node:path';
import { Errno, RIGHTS_ALL, RIGHTS_DIR_MUTATE, RIGHTS_FILE_MUTATE, Rights } from './abi.ts';
import { WasiError } from './errors.ts';
import { ASK_OPERATIONS } from '../shared/ask-operations.ts';

export { ASK_OPERATIONS };

/** One of ASK_OPERATIONS. */
export type AskOperation = (typeof ASK_OPERATIONS)[number];

/** True for every operation that changes the object (all but reading and listing). */
export function isChange(operation: AskOperation): boolean {
  return operation !== 'read' && operation !== 'list';
}

/** Rights that look and never change: reading, seeking, listing and lookups. */
const LOOK = RIGHTS_ALL & ~RIGHTS_FILE_MUTATE & ~RIGHTS_DIR_MUTATE;
/** What a write answer adds for the descriptor it opens: the file's content, nothing else. */
const CONTENT = Rights.fd_write | Rights.fd_allocate | Rights.fd_filestat_set_size | Rights.fd_sync | Rights.fd_datasync;

/**
 * The most a descriptor opened through an ask answer may hold (its base and inheriting rights are
 * cut to this). The rule: a descriptor carries exactly the answer it was opened by; any other
 * change through it (new times on a read answer, writing through a listed folder's descriptor)
 * fails `notcapable` and is never asked about, since the descriptor was opened for less. To do
 * more, the guest opens the path again and is asked again, by the operation's real name.
 */
export function rightsForAnswer(operation: AskOperation): { base: number; inheriting: number } {
  if (operation === 'write' || operation === 'create' || operation === 'truncate') return { base: LOOK | CONTENT, inheriting: LOOK };
  return { base: LOOK, inheriting: LOOK };
}

/** The worker side of asking: sends the question and blocks until main answers. */
export interface Asker {
  ask(operation: AskOperation, hostPath: string): boolean;
  /** Raised whenever main takes allow answers back (see takeBackAnswers). */
  generation(): number;
}

const WAITING = 0;
const ANSWER = 1;
const GENERATION = 2;

/**
 * The shared words main answers through: [state (0 waiting, 1 answered), answer (1 allow, 0 deny),
 * generation (raised when main takes allow answers back, see takeBackAnswers)].
 */
export function createAskBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(12);
}

/**
 * Worker side: asks through `post` and waits on `buffer` for the answer. Answers are kept for the
 * run per (operation, path) pair: an answer for one operation never stands for another.
 */
export function workerAsker(buffer: SharedArrayBuffer, post: (operation: AskOperation, hostPath: string) => void): Asker {
  const words = new Int32Array(buffer);
  const decided = new Map<string, boolean>();
  let generation = 0;
  return {
    ask(operation, hostPath) {
      // Allow answers were taken back (a revocation, perhaps in another process): ask main again,
      // which still knows the ones that hold.
      if (Atomics.load(words, GENERATION) !== generation) {
        generation = Atomics.load(words, GENERATION);
        for (const [k, allowed] of decided) if (allowed) decided.delete(k);
      }
      const key = `${operation}\0${hostPath}`;
      const known = decided.get(key);
      if (known !== undefined) return known;
      Atomics.store(words, WAITING, 0);
      post(operation, hostPath);
      while (Atomics.load(words, WAITING) === 0) Atomics.wait(words, WAITING, 0);
      const allowed = Atomics.load(words, ANSWER) === 1;
      decided.set(key, allowed);
      return allowed;
    },
    generation: () => Atomics.load(words, GENERATION),
  };
}

/** The ask answer a descriptor was opened by, and the ask generation it was last confirmed in. */
export interface AskAnswer {
  operation: AskOperation;
  path: string;
  generation: number;
}

/**
 * The check FdTable runs on each use of a descriptor opened through an answer: in a new ask
 * generation it asks again (main answers at once from the answers that still hold, and asks the
 * person only about one that was taken back); a refusal is `acces`, as for a revoked grant.
 */
export function answerRecheck(asker: Asker): (a: AskAnswer) => void {
  return (a) => {
    const now = asker.generation();
    if (now === a.generation) return;
    if (!asker.ask(a.operation, a.path)) throw new WasiError(Errno.acces, `the answer this descriptor was opened by (${a.operation} of ${a.path}) was taken back`);
    a.generation = now;
  };
}

/** Main side: makes the worker forget its cached allow answers before its next access. */
export function takeBackAnswers(buffer: SharedArrayBuffer): void {
  Atomics.add(new Int32Array(buffer), GENERATION, 1);
}

/** Main side: delivers an answer to a waiting worker. */
export function answerAsk(buffer: SharedArrayBuffer, allowed: boolean): void {
  const words = new Int32Array(buffer);
  Atomics.store(words, ANSWER, allowed ? 1 : 0);
  Atomics.store(words, WAITING, 1);
  Atomics.notify(words, WAITING);
}

/** The host path a question about `name` inside `dirPath` names. */
export function askedPath(dirPath: string, name: string): string {
  return name === '.' ? dirPath : path.posix.join(dirPath, name);
}

/**
 * Throws `acces` unless the person allows `operation` on `dir/name` (only for descriptors reached
 * through the ask root; granted folders are not asked about).
 */
export function gate(asker: Asker | undefined, ask: boolean | undefined, dirPath: string, name: string, operation: AskOperation): void {
  if (!ask) return;
  const full = askedPath(dirPath, name);
  // Fails closed: a folder that asks, in a run with nobody to ask, allows nothing.
  if (asker === undefined) throw new WasiError(Errno.acces, `nobody can be asked about ${operation} of ${full} in this run`);
  if (!asker.ask(operation, full)) throw new WasiError(Errno.acces, `the person did not allow ${operation} of ${full}`);
}
