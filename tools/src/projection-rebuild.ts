import type { EventStore, SqlClient } from '@dap/eventsourcing';
import { ident, migrate } from '@dap/eventsourcing';
import { IdempotentConsumer, type EventConsumer } from '@dap/messaging';

/** What it takes to rebuild one read model: its consumer, the schema it lives in, its tables and DDL. */
export interface RebuildableProjection {
  consumer: EventConsumer;
  /** The consuming service's schema (its checkpoints live there too). */
  schema: string;
  /** Tables the projection owns, dropped before the replay. */
  tables: string[];
  /** Idempotent DDL that creates them again. */
  ddl: string;
  /**
   * Indexes in `schema` that only queries use, name → `CREATE INDEX IF NOT EXISTS` statement: dropped for
   * the replay and built once at the end, two at a time, in the order given (largest first balances best).
   */
  readIndexes?: Record<string, string>;
}

export interface RebuildReport {
  consumer: string;
  events: number;
  positions: Record<string, number>;
  ms: number;
}

/**
 * Drops a projection's tables and its checkpoints in one transaction, creates the tables again, then
 * replays every source store from the start through the same idempotent-consumer path the live
 * process uses (without the indexes only queries need, built afterwards), and analyzes the new
 * tables. Stop the processes that run this consumer first: a live loop would move the checkpoint
 * under the replay.
 */
export async function rebuildProjection(
  db: SqlClient,
  storeOf: (source: string) => EventStore,
  projection: RebuildableProjection,
  options: { batchSize?: number; onProgress?: (source: string, position: number) => void } = {},
): Promise<RebuildReport> {
  const started = performance.now();
  const { consumer, schema, tables, ddl } = projection;
  // Every source store must be there before anything is dropped.
  for (const source of consumer.sources) await storeOf(source).headPosition();
  const inbox = await new IdempotentConsumer(db, schema).migrate();
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('dap:migrate'))`);
    await inbox.reset(tx, consumer.name);
    for (const t of tables) await tx.exec(`DROP TABLE IF EXISTS ${ident(schema)}.${ident(t)} CASCADE`);
    await tx.exec(ddl);
    for (const index of Object.keys(projection.readIndexes ?? {}))
      await tx.exec(`DROP INDEX ${ident(schema)}.${ident(index)}`);
  });
  let events = 0;
  const positions: Record<string, number> = {};
  for (const source of consumer.sources) {
    const store = storeOf(source);
    const size = options.batchSize ?? 1000;
    let position = 0;
    // The next batch is read while this one is applied: the store's read and the projection's writes run
    // on two connections, so on two cores.
    let next = store.readAll(0, size);
    for (;;) {
      const batch = await next;
      if (batch.length === 0) break;
      next = store.readAll(batch[batch.length - 1].globalPosition, size);
      next.catch(() => undefined); // awaited next turn; not an unhandled rejection if the apply throws first
      position = await inbox.applyOrdered(consumer, source, batch, position);
      events += batch.length;
      options.onProgress?.(source, position);
    }
    positions[source] = position;
  }
  // The read indexes, each built in one pass over the filled table, two at a time (CREATE INDEX on one
  // table does not block another), then the rest of the DDL, which finds them there.
  const indexes = Object.values(projection.readIndexes ?? {});
  const builder = async () => {
    for (let statement = indexes.shift(); statement; statement = indexes.shift()) await db.exec(statement);
  };
  await Promise.all([builder(), builder()]);
  if (projection.readIndexes) await migrate(db, ddl);
  // Fresh statistics for what was just filled, rather than plans made for empty tables until autovacuum comes.
  for (const t of tables) await db.exec(`ANALYZE ${ident(schema)}.${ident(t)}`);
  return { consumer: consumer.name, events, positions, ms: Math.round(performance.now() - started) };
}
