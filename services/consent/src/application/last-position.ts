import type { EventStore } from '@dap/eventsourcing';

/** Global position of a stream's last event (what a command that changed nothing reports), or null. */
export async function lastPositionOf(store: EventStore, streamId: string): Promise<number | null> {
  const [last] = await store.readStream(streamId, { direction: 'backward', maxCount: 1 });
  return last?.globalPosition ?? null;
}
