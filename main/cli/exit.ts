/**
 * Ending the `terrarium` process without losing output. Node writes stdout and stderr to a pipe
 * asynchronously (https://nodejs.org/api/process.html#a-note-on-process-io): what the pipe cannot
 * take at once waits in the stream, and `process.exit` drops it. `terrarium audit APP --json |
 * wc -c` was cut at the pipe's 64 KiB that way. So the process exits only once both streams have
 * handed everything to the OS (or their reader has gone).
 */

/** Resolves once everything written to `stream` so far has reached the OS, or the reader is gone. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    // A closed reader (`| head`) fails the write with EPIPE: nothing more can be delivered.
    const done = (): void => {
      stream.off('error', done);
      resolve();
    };
    stream.on('error', done);
    // Callbacks run in order, so this one runs after every earlier write has been flushed.
    stream.write('', done);
  });
}

/** The streams the command has used (Node makes `process.stdout`/`stderr` at their first use). */
const used: NodeJS.WriteStream[] = [];

function allowEarlyCloseOf(stream: NodeJS.WriteStream): void {
  used.push(stream);
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

/**
 * Lets a reader close stdout or stderr early (`terrarium audit APP | head`): what is left has
 * nowhere to go, which is no error of the command. Any other write error still is one.
 *
 * Each stream gets this at its first use, not before: making `process.stdout` for a pipe costs a
 * start-up ~10 ms (more on a busy machine), and `terrarium run` writes the app's output straight to
 * fds 1 and 2, so it usually never makes either stream.
 */
export function allowEarlyClose(): void {
  for (const name of ['stdout', 'stderr'] as const) {
    const node = Object.getOwnPropertyDescriptor(process, name);
    if (node?.get === undefined || !node.configurable) {
      allowEarlyCloseOf(process[name]);
      continue;
    }
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: node.enumerable,
      get() {
        const stream = node.get!.call(process) as NodeJS.WriteStream;
        Object.defineProperty(process, name, { configurable: true, enumerable: node.enumerable, get: () => stream });
        allowEarlyCloseOf(stream);
        return stream;
      },
    });
  }
}

/** Exits with `code` once stdout and stderr (those used) are fully written. */
export async function exitWhenWritten(code: number): Promise<never> {
  await Promise.all(used.map(drained));
  process.exit(code);
}
