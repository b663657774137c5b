import { relayAppendSignals, appendSignalFor } from '@dap/eventsourcing';
import type { ConsumerProgress } from '@dap/messaging';
import { isWorkerMessage, type WorkerMessage } from './worker-messages.js';

/**
 * In an HTTP worker of the standalone process: appends made here wake readers in the other workers
 * (the consumers run in one of them), and consumer progress made there reaches this worker's
 * X-Min-Position waits and readiness. A no-op outside such a worker.
 */
export function joinWorkerBridge(progress: ConsumerProgress, runsConsumers: boolean): void {
  if (!process.send || process.env.DAP_HTTP_WORKER !== '1') return;
  const send = (message: WorkerMessage) => process.send?.(message);
  relayAppendSignals((key, position) => send({ dap: 'appended', key, position }));
  if (runsConsumers)
    progress.onReport((consumer, source, position) => send({ dap: 'progress', consumer, source, position }));
  process.on('message', (message) => {
    if (!isWorkerMessage(message)) return;
    if (message.dap === 'appended') appendSignalFor(message.key).emitRelayed(message.position);
    else if (message.dap === 'progress') progress.report(message.consumer, message.source, message.position);
  });
  // Messages sent before this listener existed were dropped: ask for what happened meanwhile.
  send({ dap: 'listening' });
}
