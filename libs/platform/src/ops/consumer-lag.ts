import type { ConsumerProgress } from '@dap/messaging';
import type { EventStores } from '../runtime/event-stores.js';

export interface ConsumerLag {
  consumer: string;
  source: string;
  position: number;
  /** Positions between the source store's head and the consumer's checkpoint. */
  lag: number;
}

/**
 * Every consumer's lag behind its sources, reading each source store's head once (a store feeds
 * several consumers); a store that cannot be read counts as caught up rather than failing the probe.
 */
export async function consumerLag(progress: ConsumerProgress, stores: EventStores): Promise<ConsumerLag[]> {
  const consumers = progress.snapshot();
  const heads = new Map<string, Promise<number | undefined>>();
  for (const { source } of consumers)
    if (!heads.has(source))
      heads.set(
        source,
        stores
          .get(source)
          .headPosition()
          .catch(() => undefined),
      );
  return Promise.all(
    consumers.map(async ({ consumer, source, position }) => {
      const head = (await heads.get(source)) ?? position;
      return { consumer, source, position, lag: Math.max(0, head - Math.max(position, 0)) };
    }),
  );
}
