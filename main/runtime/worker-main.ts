/**
 * The worker thread of one run: waits for the frozen configuration, then runs the guest
 * (guest.ts) with its stdio through the rings. Host functions run here, synchronously; the main
 * thread is never blocked by a guest.
 */
import { parentPort } from 'node:worker_threads';
import { runGuest } from './guest.ts';
import { Ring } from './ring.ts';
import { GuestStdio } from './stdio.ts';
import { guardLoading } from './host-calls/index.ts';
import type { WorkerConfig, WorkerMessage } from './worker-protocol.ts';

// The worker starts booting before the module is compiled; its configuration follows as a message.
const config = await new Promise<WorkerConfig>((resolve) => parentPort!.once('message', resolve));
guardLoading(config.hostCallsGuard);
await runGuest(config, new GuestStdio(new Ring(config.stdin), new Ring(config.output), config.stdinFd), (m: WorkerMessage) => parentPort!.postMessage(m));
