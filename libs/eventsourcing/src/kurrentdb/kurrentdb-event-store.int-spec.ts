import { describe, it, expect } from '@jest/globals';
import { eventStoreContract } from '@dap/testing';
import { KurrentDbEventStore } from './kurrentdb-event-store.js';

/**
 * The shared EventStore contract against a real KurrentDB / EventStoreDB server, e.g.
 * `KURRENTDB_URL=kurrentdb://127.0.0.1:2113?tls=false` with `docker compose up kurrentdb`.
 * Without a server the suite is skipped, and says why: nothing here fakes the server.
 */
const url = process.env.KURRENTDB_URL;

if (url) {
  eventStoreContract('kurrentdb', async (name, upcasters) => {
    // A store name of its own per run, so earlier runs' streams on the same server do not interfere.
    const storeName = `${name}-${Date.now().toString(36)}`;
    const opened: KurrentDbEventStore[] = [];
    const open = () => {
      const store = KurrentDbEventStore.connect(url, storeName, upcasters);
      opened.push(store);
      return store;
    };
    return {
      store: open(),
      reopen: async () => open(),
      close: async () => {
        await Promise.all(opened.map((s) => s.close()));
      },
    };
  });
} else {
  const reason = 'KURRENTDB_URL is not set: no KurrentDB server to run the EventStore contract against';
  console.warn(`[skipped] kurrentdb-event-store.int-spec.ts: ${reason}`);
  describe('EventStore contract: kurrentdb', () => {
    it.skip(`skipped: ${reason}`, () => {
      expect(url).toBeDefined();
    });
  });
}
