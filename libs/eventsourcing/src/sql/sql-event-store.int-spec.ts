import { describe, expect, it } from '@jest/globals';
import { createEmbeddedDatabase, createTestDatabase, eventStoreContract, sqlEngines } from '@dap/testing';
import { PgSqlClient } from './pg-sql-client.js';
import { inFlightLock, SqlEventStore } from './sql-event-store.js';

eventStoreContract('sql on PostgreSQL', async (name, upcasters) => {
  const { db, drop } = await createTestDatabase();
  return {
    store: await new SqlEventStore(db, name, upcasters).migrate(),
    reopen: async () => new SqlEventStore(db, name, upcasters).migrate(),
    close: drop,
  };
});

eventStoreContract('sql on the embedded PostgreSQL server', async (name, upcasters) => {
  const database = await createEmbeddedDatabase();
  let reopened: PgSqlClient | undefined;
  return {
    store: await new SqlEventStore(database.db, name, upcasters).migrate(),
    // A new pool: nothing is cached in the process between the two.
    reopen: async () =>
      new SqlEventStore((reopened = new PgSqlClient(database.url)), name, upcasters).migrate(),
    close: async () => {
      await reopened?.close();
      await database.drop();
    },
  };
});

describe.each(sqlEngines)(
  'SqlEventStore.readAll on %s: an append that has not named its position',
  (_l, open) => {
    it('holds back every later event until it ends, then returns both in position order', async () => {
      const { db, drop } = await open();
      try {
        const store = await new SqlEventStore(db, 'stalled').migrate();
        const meta = { actor: { id: 'system:test' } };
        let later = 0;
        // An append stopped between drawing its position and publishing it (the in-flight lock held, a
        // position drawn) while another append draws a later one and commits.
        const drawn = await db.transaction(async (tx) => {
          await tx.query(`SELECT ${inFlightLock('stalled')}`);
          const [{ p }] = await tx.query<{ p: string }>(
            `SELECT nextval('stalled.events_global_position_seq') AS p`,
          );
          later = (await store.appendToStream('b', [{ type: 'E', data: {} }], 'any', meta)).globalPosition;
          expect(later).toBeGreaterThan(Number(p));
          expect(await store.readAll(0, 10)).toEqual([]);
          await tx.query(
            `INSERT INTO stalled.events (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at)
           VALUES ($1, gen_random_uuid(), 'a', 1, 'E', 1, '{}', '{"actor":{"id":"system:test"}}', now())`,
            [p],
          );
          return Number(p);
        });
        expect((await store.readAll(0, 10)).map((e) => e.globalPosition)).toEqual([drawn, later]);
      } finally {
        await drop();
      }
    });
  },
);
