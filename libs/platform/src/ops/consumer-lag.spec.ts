import { describe, expect, it } from '@jest/globals';
import { ConsumerProgress } from '@dap/messaging';
import type { EventStores } from '../runtime/event-stores.js';
import { consumerLag } from './consumer-lag.js';

/** Stores whose heads are given, counting the reads; `undefined` is a store that cannot be read. */
const storesWithHeads = (heads: Record<string, number | undefined>) => {
  const reads: string[] = [];
  const stores = {
    get: (name: string) => ({
      headPosition: async () => {
        reads.push(name);
        const head = heads[name];
        if (head === undefined) throw new Error(`${name} is down`);
        return head;
      },
    }),
  } as unknown as EventStores;
  return { stores, reads };
};

describe('consumerLag', () => {
  it('reads each source head once however many consumers follow it', async () => {
    const progress = new ConsumerProgress();
    progress.register('list', ['consent', 'health']);
    progress.register('audit', ['consent']);
    progress.register('mailer', ['offer']);
    progress.report('list', 'consent', 40);
    progress.report('list', 'health', 7);
    progress.report('audit', 'consent', 42);
    const { stores, reads } = storesWithHeads({ consent: 42, health: 7, offer: 3 });

    expect(await consumerLag(progress, stores)).toEqual([
      { consumer: 'list', source: 'consent', position: 40, lag: 2 },
      { consumer: 'list', source: 'health', position: 7, lag: 0 },
      { consumer: 'audit', source: 'consent', position: 42, lag: 0 },
      // Not started yet (-1): the whole store is ahead of it.
      { consumer: 'mailer', source: 'offer', position: -1, lag: 3 },
    ]);
    expect(reads.sort()).toEqual(['consent', 'health', 'offer']);
  });

  it('counts a consumer of a store it cannot read as caught up', async () => {
    const progress = new ConsumerProgress();
    progress.register('list', ['consent', 'health']);
    progress.report('list', 'consent', 5);
    progress.report('list', 'health', 9);
    const { stores } = storesWithHeads({ consent: 8, health: undefined });

    expect(await consumerLag(progress, stores)).toEqual([
      { consumer: 'list', source: 'consent', position: 5, lag: 3 },
      { consumer: 'list', source: 'health', position: 9, lag: 0 },
    ]);
  });
});
