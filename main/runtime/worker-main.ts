/**
 * The worker thread of one run: waits for the frozen configuration, then runs the guest
 * (guest.ts) with its stdio through the rings. Host functions run here, synchronously; the main
 * thread is never blocked by a guest. A spare says when it has booted (`SPARE_BOOTED_CHANNEL`) and may
 * first be primed (and says when that is done, on the same channel): its run's module instantiated before the configuration (run.ts `primeWorker`),
 * bound to the configuration when it comes.
 */
import { BroadcastChannel, parentPort, threadId, workerData } from 'node:worker_threads';
import { type PrimedInstance, primeInstance, runGuest, warmRun, warmUp } from './guest.ts';
import { Ring } from './ring.ts';
import { GuestStdio } from './stdio.ts';
import { guardLoading } from './host-calls/index.ts';
import { useThreadData } from './host-calls/thread-data.ts';
import { type PrimeMessage, SPARE_BOOTED_CHANNEL, type WorkerConfig, type WorkerMessage } from './worker-protocol.ts';
import type { WorkerData } from './run.ts';

useThreadData(workerData);
let primed: PrimedInstance | undefined;
// The worker starts booting before the module is compiled; its configuration follows as a message.
const config = await new Promise<WorkerConfig>((resolve) => {
  const onMessage = (m: WorkerConfig | PrimeMessage): void => {
    if (!('prime' in m)) {
      parentPort!.off('message', onMessage);
      resolve(m);
      return;
    }
    primed = undefined;
    try {
      primed = primeInstance(m.prime);
      try {
        warmRun(m.prime); // its run's first steps, once, before the click
      } catch {
        // Only a warm-up: the run does the same for real and reports what fails.
      }
      // Its instance is ready: a run given it now starts at once (launcher/spares.ts).
      const said = new BroadcastChannel(SPARE_BOOTED_CHANNEL);
      said.postMessage({ threadId, primed: true });
      said.close();
    } catch {
      // The run instantiates anew and reports why that fails, if it does.
    }
  };
  parentPort!.on('message', onMessage);
  if ((workerData as WorkerData).spare) {
    warmUp(); // a run's own worker has its configuration waiting
    const booted = new BroadcastChannel(SPARE_BOOTED_CHANNEL);
    booted.postMessage({ threadId });
    booted.close();
  }
});
guardLoading(config.hostCallsGuard);
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);
await runGuest(config, new GuestStdio(new Ring(config.stdin), new Ring(config.output), config.stdinFd), post, undefined, undefined, config.primed === true ? primed : undefined);
