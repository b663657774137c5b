import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, eventStoreContract } from '@dap/testing';
import { PgliteSqlClient } from './pglite-sql-client.js';
import { SqlEventStore } from './sql-event-store.js';

eventStoreContract('sql on PostgreSQL', async (name, upcasters) => {
  const { db, drop } = await createTestDatabase();
  return {
    store: await new SqlEventStore(db, name, upcasters).migrate(),
    reopen: async () => new SqlEventStore(db, name, upcasters).migrate(),
    close: drop,
  };
});

eventStoreContract('sql on PGlite (on disk)', async (name, upcasters) => {
  const dir = mkdtempSync(join(tmpdir(), 'dap-pglite-'));
  let db = await PgliteSqlClient.open(dir);
  return {
    store: await new SqlEventStore(db, name, upcasters).migrate(),
    reopen: async () => {
      await db.close();
      db = await PgliteSqlClient.open(dir);
      return new SqlEventStore(db, name, upcasters).migrate();
    },
    close: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
