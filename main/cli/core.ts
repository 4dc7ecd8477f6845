/**
 * The CLI's way into Terrarium's core (DESIGN §1: cli → api): the library commands make the same
 * requests as the window, through `main/api` with the same schemas and checks, and get the same
 * results. A failed request comes back as the CodedError it was (code and message), so the exit
 * code is looked up by code (cli/exit-codes.ts); an unexpected error is rethrown as itself, stack
 * and all, for cli.ts to report as internal.
 */
import { createApi } from '../api/index.ts';
import type { EventSink, RequestArgs, RequestName, RequestResult } from '../../preload/api.ts';
import { CodedError, isErrorCode } from '../shared/coded-error.ts';

/** The requests of the contract, made from the command line. */
export interface Core {
  /** Makes request `name`; resolves to its result or throws its CodedError. */
  call<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>>;
  /** Subscribes to the core's events (install progress); returns the unsubscribe function. */
  onEvent(listener: EventSink): () => void;
}

/** Opens the core over the data folder ($TERRARIUM_HOME or the platform's), runs `f`, closes it. */
export async function withCore<T>(f: (core: Core) => Promise<T>): Promise<T> {
  let unexpected: unknown;
  const api = createApi({ transport: 'cli', log: (_message, err) => void (unexpected = err) });
  const core: Core = {
    async call(name, args) {
      unexpected = undefined;
      const r = await api.handle(name, args);
      if (r.ok) return r.value as RequestResult<typeof name>;
      if (unexpected !== undefined) throw unexpected;
      throw new CodedError(isErrorCode(r.code) ? r.code : 'internal', r.message);
    },
    onEvent: (listener) => api.onEvent(listener),
  };
  try {
    return await f(core);
  } finally {
    await api.close();
  }
}
