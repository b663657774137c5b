import type { EventEnvelope } from '@dap/contracts';
import type { EventStore } from '@dap/eventsourcing';
import type { HealthQueries } from './health-queries.js';
import type { HealthScope } from './health-scope.js';

const BATCH = 200;
const POLL_MS = 1000;

/**
 * The caller's health events from the health store's log, strictly after `after` (a global
 * position, the SSE id), then live as they are appended, until `signal` aborts.
 */
export async function* healthEvents(
  store: EventStore,
  queries: HealthQueries,
  scope: HealthScope,
  options: { after: number; clientId?: string; signal: AbortSignal },
): AsyncGenerator<EventEnvelope> {
  let position = options.after;
  let wake: () => void = () => undefined;
  let pending = false;
  const unsubscribe = store.onAppended(() => {
    pending = true;
    wake();
  });
  const onAbort = () => wake();
  options.signal.addEventListener('abort', onAbort);
  try {
    while (!options.signal.aborted) {
      pending = false;
      const batch = await store.readAll(position, BATCH);
      if (batch.length > 0) {
        const clientIds = [...new Set(batch.map(clientOf).filter((c): c is string => c !== undefined))];
        const visible = await queries.visibleClients(scope, clientIds);
        for (const event of batch) {
          position = event.globalPosition;
          const clientId = clientOf(event);
          if (clientId === undefined || !visible.has(clientId)) continue;
          if (options.clientId !== undefined && clientId !== options.clientId) continue;
          yield event;
          if (options.signal.aborted) return;
        }
        continue;
      }
      if (pending) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    unsubscribe();
    options.signal.removeEventListener('abort', onAbort);
  }
}

const clientOf = (event: EventEnvelope): string | undefined =>
  (event.data as { clientId?: string } | null)?.clientId;
