import { relayAppendSignals, appendSignalFor } from '@dap/eventsourcing';
import type { ConsumerProgress } from '@dap/messaging';
import { isWorkerMessage, positionKey, type WorkerMessage } from './worker-messages.js';

/**
 * In an HTTP worker of the standalone process: appends made here wake readers in the other workers
 * (the consumers run in one of them), and consumer progress made there reaches this worker's
 * X-Min-Position waits and readiness. A no-op outside such a worker.
 */
export function joinWorkerBridge(progress: ConsumerProgress, runsConsumers: boolean): void {
  if (!process.send || process.env.DAP_HTTP_WORKER !== '1') return;
  // Positions are coalesced per turn of the event loop (one IPC message, the newest of each), since
  // a burst of commands reports progress of every consumer many times over.
  let pending = new Map<string, WorkerMessage>();
  const flush = () => {
    const messages = [...pending.values()];
    pending = new Map();
    process.send?.(messages.length === 1 ? messages[0] : { dap: 'batch', messages });
  };
  const send = (message: WorkerMessage) => {
    if (pending.size === 0) setImmediate(flush);
    pending.set(positionKey(message) ?? String(pending.size), message);
  };
  relayAppendSignals((key, position) => send({ dap: 'appended', key, position }));
  if (runsConsumers)
    progress.onReport((consumer, source, position) => send({ dap: 'progress', consumer, source, position }));
  // Reads waiting here for the consumers there: only the worker running them takes the message (so it
  // never travels back).
  else progress.onWanted((consumers, source) => send({ dap: 'wanted', consumers: [...consumers], source }));
  const receive = (message: WorkerMessage) => {
    if (message.dap === 'appended') appendSignalFor(message.key).emitRelayed(message.position);
    else if (message.dap === 'progress') progress.report(message.consumer, message.source, message.position);
    else if (message.dap === 'wanted') {
      if (runsConsumers) progress.want(message.consumers, message.source);
    } else if (message.dap === 'batch') message.messages.forEach(receive);
  };
  process.on('message', (message) => {
    if (isWorkerMessage(message)) receive(message);
  });
  // Messages sent before this listener existed were dropped: ask for what happened meanwhile.
  send({ dap: 'listening' });
}
