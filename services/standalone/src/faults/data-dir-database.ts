import type { EventEnvelope } from '@dap/contracts';
import { ident, SqlEventStore, type SqlClient } from '@dap/eventsourcing';
import { loadConfig, openDatabase } from '@dap/platform';

/** The five services' stores (each a schema of the same name). */
export const SERVICE_STORES = ['offer', 'consent', 'health', 'service-request', 'client-directory'];
/** Tables in those schemas that are not read models: the store itself and the consumers' bookkeeping. */
const BOOKKEEPING = ['events', 'checkpoints', 'inbox', 'dead_letters'];
/** Counter tables whose rows at zero mean the same as no row. */
const ZERO_COUNTERS = ['client-directory.client_list_counts'];

/**
 * The only place these tests open a data directory's database, and they do it exactly as the
 * process and its tools do (DATA_DIR, no DATABASE_URL): whatever engine the process keeps under
 * DATA_DIR, this follows. The process must be stopped first.
 */
export async function withDataDir<T>(dataDir: string, use: (db: SqlClient) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

/**
 * Every read table of the services, rows in a total order; counters at zero left out (whether
 * `client_list_counts` keeps a row at n = 0 depends on delivery order: tools/src/read-table-equivalence.ts).
 */
export async function readTables(db: SqlClient): Promise<Record<string, unknown[]>> {
  const tables = await db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_schema = ANY($1) AND NOT table_name = ANY($2) ORDER BY 1, 2`,
    [SERVICE_STORES, BOOKKEEPING],
  );
  const out: Record<string, unknown[]> = {};
  for (const { schema, name } of tables) {
    const zeroCounters = ZERO_COUNTERS.includes(`${schema}.${name}`) ? 'WHERE r.n <> 0' : '';
    out[`${schema}.${name}`] = await db.query(
      `SELECT * FROM ${ident(schema)}.${ident(name)} AS r ${zeroCounters} ORDER BY r::text`,
    );
  }
  return out;
}

/** Events every consumer gave up on, by schema. */
export async function deadLetters(db: SqlClient): Promise<string[]> {
  const out: string[] = [];
  for (const schema of SERVICE_STORES) {
    const [exists] = await db.query(`SELECT to_regclass($1) AS t`, [`${ident(schema)}.dead_letters`]);
    if (!(exists as { t: string | null }).t) continue;
    const rows = await db.query<{ consumer: string; event_id: string; error: string }>(
      `SELECT consumer, event_id, error FROM ${ident(schema)}.dead_letters`,
    );
    out.push(...rows.map((r) => `${schema}: ${r.consumer} ${r.event_id} ${r.error.split('\n')[0]}`));
  }
  return out;
}

/** Every event of every service store, in store order. */
export async function allEvents(db: SqlClient): Promise<Record<string, EventEnvelope<string, any>[]>> {
  const out: Record<string, EventEnvelope<string, any>[]> = {};
  for (const name of SERVICE_STORES) out[name] = await new SqlEventStore(db, name).readAll(0, 1_000_000);
  return out;
}
