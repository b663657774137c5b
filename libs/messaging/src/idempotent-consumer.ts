import type { EventEnvelope } from '@dap/contracts';
import { ident, literal, migrate, type SqlClient, type SqlExecutor } from '@dap/eventsourcing';
import { wants, type EventConsumer } from './event-consumer.js';

/** Tables of the idempotent-consumer helper, in the consuming service's schema. */
export const consumerDdl = (schema: string) => `
  CREATE SCHEMA IF NOT EXISTS ${ident(schema)};
  CREATE TABLE IF NOT EXISTS ${ident(schema)}.checkpoints (
    consumer text NOT NULL, source text NOT NULL, position bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer, source));
  CREATE TABLE IF NOT EXISTS ${ident(schema)}.inbox (
    consumer text NOT NULL, event_id uuid NOT NULL, source text NOT NULL, global_position bigint NOT NULL,
    PRIMARY KEY (consumer, event_id));
  CREATE TABLE IF NOT EXISTS ${ident(schema)}.dead_letters (
    consumer text NOT NULL, event_id uuid NOT NULL, source text NOT NULL, global_position bigint NOT NULL,
    type text NOT NULL, error text NOT NULL, event jsonb NOT NULL, failed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id));`;

/** A pipelined batch found the checkpoint row elsewhere than its caller thought: it was rolled back. */
class CheckpointMoved extends Error {}

/** The lock that puts a `oneAtATime` consumer's transactions one after another (held to commit). */
const oneAtATimeLock = (consumer: EventConsumer) =>
  `SELECT pg_advisory_xact_lock(hashtext(${literal(consumer.name)}))`;

/**
 * Applies events to a consumer so that each takes effect once: the read-table change and the record
 * of what was handled commit in one transaction.
 *
 * - `ordered` sources (a store's log, read in global order): a checkpoint per (consumer, source);
 *   an event at or below the checkpoint is a redelivery and is skipped.
 * - unordered sources (Kafka partitions): an inbox of handled event ids, plus the highest position
 *   seen per source for read-your-writes waits.
 */
export class IdempotentConsumer {
  /**
   * `together`: where a process's consumer loops share one, the batches they hand over in the same turn
   * of the event loop are applied in one transaction ({@link OrderedBatchesTogether}).
   */
  constructor(
    private readonly db: SqlClient,
    readonly schema: string,
    private readonly together?: OrderedBatchesTogether,
  ) {}

  async migrate(): Promise<this> {
    await migrate(this.db, consumerDdl(this.schema));
    return this;
  }

  async checkpoint(consumer: string, source: string): Promise<number> {
    const [row] = await this.db.query<{ position: number }>(
      `SELECT position FROM ${ident(this.schema)}.checkpoints WHERE consumer = $1 AND source = $2`,
      [consumer, source],
    );
    return Number(row?.position ?? 0);
  }

  /**
   * Applies a batch of one source's events, in order, in one transaction with one checkpoint write.
   * Returns the new checkpoint. The commit does not wait for the WAL flush: a crash can only lose
   * whole batches, whose events are then read and applied again from the older checkpoint.
   *
   * `expected`: the checkpoint the caller last saw (a source loop knows its own). The batch's first
   * statement then goes to the server with BEGIN instead of waiting for the checkpoint row; should the
   * row say otherwise (another process moved it), that transaction is rolled back and the batch applied
   * again against the row. With an expectation and an {@link OrderedBatchesTogether}, the batch may share
   * its transaction with other consumers' batches.
   */
  applyOrdered(
    consumer: EventConsumer,
    source: string,
    events: EventEnvelope[],
    expected?: number,
  ): Promise<number> {
    if (expected !== undefined && this.together)
      return this.together.apply({ inbox: this, consumer, source, events, expected });
    return this.applyAlone(consumer, source, events, expected);
  }

  /** `applyOrdered` in a transaction of the batch's own. */
  async applyAlone(
    consumer: EventConsumer,
    source: string,
    events: EventEnvelope[],
    expected?: number,
  ): Promise<number> {
    if (expected !== undefined) {
      const applied = await this.applyFrom(consumer, source, events, expected).catch((error) => {
        if (error instanceof CheckpointMoved) return undefined;
        throw error;
      });
      if (applied !== undefined) return applied;
    }
    return this.applyFrom(consumer, source, events);
  }

  /** `applyOrdered`, from `assumed` (checked against the locked checkpoint row) or from the row itself. */
  private applyFrom(
    consumer: EventConsumer,
    source: string,
    events: EventEnvelope[],
    assumed?: number,
  ): Promise<number> {
    const lock = consumer.oneAtATime ? `${oneAtATimeLock(consumer)}; ` : '';
    return this.db.transaction(
      async (tx, begun) => {
        const locked = async () => Number((await begun)[0].position);
        const position = assumed ?? (await locked());
        // Also with nothing fresh: COMMIT writes the position returned here.
        const last = await handleFresh(consumer, events, position, tx);
        if (assumed !== undefined && (await locked()) !== assumed) throw new CheckpointMoved();
        return last;
      },
      {
        asynchronousCommit: true,
        pipelined: assumed !== undefined,
        // The checkpoint row (and the consumer's own lock) is taken with BEGIN and written with COMMIT:
        // round trips fewer.
        begin: `${lock}${this.lockCheckpointSql(consumer.name, source)} RETURNING position`,
        commit: (last) => this.saveCheckpointSql(consumer.name, source, last),
      },
    );
  }

  /** Locks the checkpoint row, made at 0 when missing (no parameters: sent with BEGIN). */
  lockCheckpointSql(consumer: string, source: string): string {
    return `INSERT INTO ${ident(this.schema)}.checkpoints AS c (consumer, source, position) VALUES (${literal(consumer)}, ${literal(source)}, 0)
            ON CONFLICT (consumer, source) DO UPDATE SET position = c.position`;
  }

  /** Writes the checkpoint (no parameters: sent with COMMIT). */
  saveCheckpointSql(consumer: string, source: string, position: number): string {
    return `UPDATE ${ident(this.schema)}.checkpoints SET position = ${Number(position)}, updated_at = now()
            WHERE consumer = ${literal(consumer)} AND source = ${literal(source)}`;
  }

  /** Applies one event from an unordered source once, by its id. Returns false for a duplicate. */
  async applyUnordered(consumer: EventConsumer, source: string, event: EventEnvelope): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (consumer.oneAtATime) await tx.query(oneAtATimeLock(consumer));
      const [fresh] = await tx.query(
        `INSERT INTO ${ident(this.schema)}.inbox (consumer, event_id, source, global_position) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumer.name, event.id, source, event.globalPosition],
      );
      if (!fresh) return false;
      if (wants(consumer, event)) await consumer.handle(event, tx);
      await tx.query(
        `INSERT INTO ${ident(this.schema)}.checkpoints (consumer, source, position) VALUES ($1, $2, $3)
         ON CONFLICT (consumer, source) DO UPDATE SET position = GREATEST(checkpoints.position, EXCLUDED.position), updated_at = now()`,
        [consumer.name, source, event.globalPosition],
      );
      return true;
    });
  }

  /**
   * Moves an ordered checkpoint forward over events the consumer does not take (never back): the
   * source loop skips their transactions and records how far it got now and then.
   */
  async advance(consumer: string, source: string, position: number): Promise<void> {
    await this.db.query(
      `INSERT INTO ${ident(this.schema)}.checkpoints AS c (consumer, source, position) VALUES ($1, $2, $3)
       ON CONFLICT (consumer, source) DO UPDATE SET position = GREATEST(c.position, EXCLUDED.position), updated_at = now()`,
      [consumer, source, position],
    );
  }

  /** Records an event the consumer could not handle and moves past it (ordered sources). */
  async deadLetter(
    consumer: EventConsumer,
    source: string,
    event: EventEnvelope,
    error: unknown,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx.query(`${this.lockCheckpointSql(consumer.name, source)} RETURNING position`);
      if (event.globalPosition <= Number(row.position)) return;
      await tx.query(
        `INSERT INTO ${ident(this.schema)}.dead_letters (consumer, event_id, source, global_position, type, error, event)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [
          consumer.name,
          event.id,
          source,
          event.globalPosition,
          event.type,
          String((error as Error)?.stack ?? error),
          JSON.stringify(event),
        ],
      );
      await tx.query(this.saveCheckpointSql(consumer.name, source, event.globalPosition));
    });
  }

  /** Forgets a consumer's progress (projection rebuild); its tables are the caller's to clear. */
  async reset(tx: SqlExecutor, consumer: string): Promise<void> {
    await tx.query(`DELETE FROM ${ident(this.schema)}.checkpoints WHERE consumer = $1`, [consumer]);
    await tx.query(`DELETE FROM ${ident(this.schema)}.inbox WHERE consumer = $1`, [consumer]);
  }
}

/**
 * Hands the consumer its events above `position` that it takes, in order; returns the position the batch
 * reaches (its last event above `position`, or `position`).
 */
async function handleFresh(
  consumer: EventConsumer,
  events: EventEnvelope[],
  position: number,
  tx: SqlExecutor,
): Promise<number> {
  const fresh = events.filter((e) => e.globalPosition > position);
  const wanted = fresh.filter((e) => wants(consumer, e));
  if (wanted.length > 0) {
    if (consumer.handleBatch) await consumer.handleBatch(wanted, tx);
    else for (const event of wanted) await consumer.handle(event, tx);
  }
  return fresh.at(-1)?.globalPosition ?? position;
}

/** Batches of this many events or more are applied in a transaction of their own. */
const ALONE_FROM = 100;

/** One consumer's batch of an ordered source, with the checkpoint its loop last saved. */
interface OrderedBatch {
  inbox: IdempotentConsumer;
  consumer: EventConsumer;
  source: string;
  events: EventEnvelope[];
  expected: number;
}

/**
 * Applies in one transaction the ordered batches that consumers of any schema on one database hand over
 * in the same turn of the event loop: the consumers of a store, woken by one append and answered by one
 * shared read, apply it together (batches shorter than {@link ALONE_FROM} events: live appends, not a
 * consumer catching up). One `BEGIN` locks every checkpoint row (and sends the first batch's
 * first statement), the consumers' statements follow one after another, and one `COMMIT` writes every
 * checkpoint: a transaction per append instead of one per consumer (a role change feeds four consumers,
 * an acceptance eight).
 *
 * Each batch still takes effect once, in order, with its own checkpoint. Should the shared transaction
 * fail for any reason (a consumer's error, a checkpoint another process moved, a deadlock), it is rolled
 * back whole and every batch is applied again in a transaction of its own, so that only the consumer at
 * fault sees its error (and is retried, then dead-lettered, by its loop).
 */
export class OrderedBatchesTogether {
  private waiting: (OrderedBatch & { done: (position: Promise<number>) => void })[] = [];

  constructor(private readonly db: SqlClient) {}

  apply(batch: OrderedBatch): Promise<number> {
    // A consumer catching up (a long batch) has enough work to pay for its own transaction, and the
    // server applies such batches side by side, on both cores: alone.
    if (batch.events.length >= ALONE_FROM)
      return batch.inbox.applyAlone(batch.consumer, batch.source, batch.events, batch.expected);
    return new Promise((resolve) => {
      if (this.waiting.push({ ...batch, done: resolve }) === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    // The same order in every process: rows and locks are taken in it, so two such transactions never
    // wait on each other in a circle.
    const key = (b: OrderedBatch) => `${b.inbox.schema}\u0000${b.consumer.name}\u0000${b.source}`;
    const batches = this.waiting.sort((a, b) => (key(a) < key(b) ? -1 : 1));
    this.waiting = [];
    if (batches.length > 1) {
      const positions = await this.inOne(batches).catch(() => undefined);
      if (positions) return batches.forEach((b, i) => b.done(Promise.resolve(positions[i])));
    }
    for (const b of batches) b.done(b.inbox.applyAlone(b.consumer, b.source, b.events, b.expected));
  }

  private async inOne(batches: OrderedBatch[]): Promise<number[]> {
    const locks = [...new Set(batches.filter((b) => b.consumer.oneAtATime).map((b) => b.consumer))].map(
      oneAtATimeLock,
    );
    const rows = batches.map(
      (b, i) =>
        `c${i} AS (${b.inbox.lockCheckpointSql(b.consumer.name, b.source)} RETURNING ${i} AS batch, position)`,
    );
    const checkpoints = `WITH ${rows.join(', ')} ${batches.map((_, i) => `SELECT * FROM c${i}`).join(' UNION ALL ')}`;
    return this.db.transaction(
      async (tx, begun) => {
        const positions: number[] = [];
        for (const b of batches) positions.push(await handleFresh(b.consumer, b.events, b.expected, tx));
        for (const row of await begun)
          if (Number(row.position) !== batches[row.batch].expected) throw new CheckpointMoved();
        return positions;
      },
      {
        asynchronousCommit: true,
        pipelined: true,
        begin: [...locks, checkpoints].join('; '),
        commit: (positions) =>
          batches
            .map((b, i) => b.inbox.saveCheckpointSql(b.consumer.name, b.source, positions[i]))
            .join('; '),
      },
    );
  }
}
