import { eventStoreContract } from '@dap/testing';
import { MemoryEventStore } from './memory-event-store.js';

eventStoreContract(
  'memory',
  async (name, upcasters) => ({
    store: new MemoryEventStore(name, upcasters),
    close: async () => undefined,
  }),
  { durable: false },
);
