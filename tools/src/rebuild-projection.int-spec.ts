import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrate, SqlEventStore } from '@dap/eventsourcing';
import { ConsumerProgress, IdempotentConsumer, StoreLogEventSource } from '@dap/messaging';
import { createTestDatabase, type TestDatabase } from '@dap/testing';
import {
  CLIENT_DIRECTORY,
  CLIENT_LIST_TABLES,
  clientDirectoryTable,
  clientListDdl,
  ClientListProjection,
  listClients,
} from '@dap/client-directory';
import { EventFixtures } from '../../services/client-directory/src/testing/event-fixtures.js';
import { projections } from './projection-registry.js';
import { rebuildProjection } from './projection-rebuild.js';

async function dump(t: TestDatabase) {
  const out: Record<string, unknown[]> = {};
  for (const name of CLIENT_LIST_TABLES)
    out[name] = await t.db.query(`SELECT * FROM ${clientDirectoryTable(name)} ORDER BY 1, 2, 3`);
  return out;
}

describe('rebuild-projection on PostgreSQL', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.drop());

  it('rebuilds the client list to exactly the live one', async () => {
    // Events in four stores, as the services would have appended them.
    const f = new EventFixtures();
    for (let i = 0; i < 40; i++) {
      const g = f.granted(`p${i % 3}`, `c${i}`, `Client ${i}`, `client${i}.cn`);
      if (i % 7 === 0) f.revoked(g);
      if (i % 5 === 0) f.healthRaised(`c${i}`, `i${i}`, i % 10 === 0 ? 'incident' : 'advisory');
      if (i % 4 === 0) f.requestCreated(`p${i % 3}`, `c${i}`, `r${i}`);
      if (i % 8 === 0) f.requestStatus(`r${i}`, 'open', 'closed');
      if (i % 6 === 0)
        f.profile(`p${i % 3}`, `c${i}`, 'ClientProfileUpdated', {
          name: `Renamed ${i}`,
          tags: ['t'],
          updatedBy: 'u',
        });
    }
    f.healthResolved('c10', 'i10');
    const stores = new Map<string, SqlEventStore>();
    const storeOf = (name: string) =>
      stores.get(name) ?? stores.set(name, new SqlEventStore(t.db, name)).get(name)!;
    for (const name of ['consent', 'health', 'service-request', CLIENT_DIRECTORY])
      await storeOf(name).migrate();
    for (const e of f.log)
      await storeOf(e.source).appendToStream(e.subject, [{ type: e.type, data: e.data }], 'any', {
        actor: e.actor,
        partnerId: e.partnerId,
        time: new Date(e.time),
      });

    // The live projection, as the process runs it.
    await migrate(t.db, clientListDdl);
    const inbox = await new IdempotentConsumer(t.db, CLIENT_DIRECTORY).migrate();
    const progress = new ConsumerProgress();
    const live = new StoreLogEventSource(storeOf, inbox, progress, { pollIntervalMs: 10 });
    await live.start(new ClientListProjection());
    for (const name of ['consent', 'health', 'service-request', CLIENT_DIRECTORY]) {
      expect(
        await progress.waitFor([ClientListProjection.NAME], name, await storeOf(name).headPosition(), 10_000),
      ).toBe(true);
    }
    await live.stop();
    const before = await dump(t);
    const listBefore = await listClients(t.db, { partnerId: 'p1', sort: 'health', limit: 200 });
    expect(before.client_list.length).toBe(40);

    const report = await rebuildProjection(
      t.db,
      storeOf,
      await projections['client-directory.client-list'](),
    );
    expect(report.events).toBe(f.log.length);
    expect(await dump(t)).toEqual(before);
    expect(await listClients(t.db, { partnerId: 'p1', sort: 'health', limit: 200 })).toEqual(listBefore);
    expect(await inbox.checkpoint(ClientListProjection.NAME, 'consent')).toBe(
      await storeOf('consent').headPosition(),
    );
  });
});
