import { createEmbeddedDatabase, createTestDatabase, eventStoreContract } from '@dap/testing';
import { PgSqlClient } from './pg-sql-client.js';
import { SqlEventStore } from './sql-event-store.js';

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
