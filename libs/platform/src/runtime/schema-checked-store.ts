import { validateEventData } from '@dap/contracts';
import type { EventStore, NewEvent, StreamAppend } from '@dap/eventsourcing';

/** An event whose payload does not match its published JSON Schema: a bug, never the caller's fault. */
export class UnpublishableEventError extends Error {}

function check(events: NewEvent[]): void {
  for (const e of events) {
    const result = validateEventData(e.type, e.schemaVersion ?? 1, e.data);
    if (!result.ok)
      throw new UnpublishableEventError(
        `${e.type} v${e.schemaVersion ?? 1} does not match its schema: ${result.errors.join('; ')}`,
      );
  }
}

/**
 * Wraps a service's own store so that nothing is appended (and so published) unless it matches the
 * JSON Schema downstream teams read in libs/contracts. Every test that appends through a service
 * therefore also proves its events' contracts.
 */
export function schemaChecked(store: EventStore): EventStore {
  return Object.assign(Object.create(store) as EventStore, {
    appendToStream: async (streamId: string, events: NewEvent[], ...rest: [never, never]) => {
      check(events);
      return store.appendToStream(streamId, events, ...rest);
    },
    appendToStreams: async (appends: StreamAppend[], metadata: never) => {
      appends.forEach((a) => check(a.events));
      return store.appendToStreams(appends, metadata);
    },
  });
}
