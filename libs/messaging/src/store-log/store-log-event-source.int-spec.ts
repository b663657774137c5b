import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import type { EventEnvelope } from '@dap/contracts';
import { SqlEventStore, type SqlExecutor } from '@dap/eventsourcing';
import { createTestDatabase, sqlEngines, type TestDatabase } from '@dap/testing';
import { ConsumerProgress } from '../consumer-progress.js';
import type { EventConsumer } from '../event-consumer.js';
import { IdempotentConsumer, OrderedBatchesTogether } from '../idempotent-consumer.js';
import { SharedLogReader } from './shared-log-reader.js';
import { StoreLogEventSource } from './store-log-event-source.js';

const meta = { actor: { id: 'system:test' } };

/** A consumer that counts events per stream in a table, and records the order it saw them in. */
function countingConsumer(
  name: string,
  seen: number[] = [],
  { types, table = 'sink.counts' }: { types?: string[]; table?: string } = {},
): EventConsumer {
  return {
    name,
    sources: ['src'],
    ...(types && { types }),
    async handle(event: EventEnvelope, tx: SqlExecutor) {
      seen.push(event.globalPosition);
      await tx.query(
        `INSERT INTO ${table} AS c (stream_id, n) VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = c.n + 1`,
        [event.subject],
      );
    },
  };
}

describe('StoreLogEventSource on PostgreSQL: concurrent appends', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.drop());

  it('never skips an event that commits after a later position became visible', async () => {
    const store = await new SqlEventStore(t.db, 'src').migrate();
    const inbox = await new IdempotentConsumer(t.db, 'sink').migrate();
    await t.db.exec(`CREATE TABLE sink.counts (stream_id text PRIMARY KEY, n int NOT NULL)`);
    await t.db.exec(`CREATE TABLE sink.f_counts (stream_id text PRIMARY KEY, n int NOT NULL)`);
    // Widen the window between drawing positions and committing: a deferred trigger sleeps a random
    // few milliseconds at COMMIT, so appends become visible out of position order, as under load.
    await t.db.exec(`
      CREATE FUNCTION src.slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(random() * 0.01); RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON src.events DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION src.slow_commit();`);
    const progress = new ConsumerProgress();
    const seen: number[] = [];
    const seenOnlyF: number[] = [];
    // Poll hard so that the reader runs while writers are mid-transaction. Two consumers share one
    // reader (as in a process), one of them taking only F events (it skips the batches without).
    const reader = new SharedLogReader(new SqlEventStore(t.db, 'src'), 50);
    const source = new StoreLogEventSource(() => reader, inbox, progress, {
      pollIntervalMs: 1,
      batchSize: 1000,
    });
    await source.start(countingConsumer('sink.counter', seen));
    await source.start(
      countingConsumer('sink.f-counter', seenOnlyF, { types: ['F'], table: 'sink.f_counts' }),
    );

    const writers = 8;
    const perWriter = 40;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          // Some appends carry several events; every writer has its own stream.
          await store.appendToStream(
            `s-${w}`,
            [{ type: 'E', data: { i } }, ...(i % 5 === 0 ? [{ type: 'F', data: {} }] : [])],
            'any',
            meta,
          );
        }
      }),
    );
    const head = await store.headPosition();
    expect(await progress.waitFor(['sink.counter', 'sink.f-counter'], 'src', head, 10_000)).toBe(true);
    await source.stop();

    const all = await store.readAll(0, 100_000);
    expect(seen).toEqual(all.map((e) => e.globalPosition));
    expect(seenOnlyF).toEqual(all.filter((e) => e.type === 'F').map((e) => e.globalPosition));
    const counts = await t.db.query<{ n: number }>(`SELECT n FROM sink.counts`);
    expect(counts.reduce((sum, r) => sum + r.n, 0)).toBe(all.length);
    expect(all.length).toBe(writers * (perWriter + perWriter / 5));
    // Stopping writes down how far each consumer got, skipped batches included.
    expect(await inbox.checkpoint('sink.f-counter', 'src')).toBe(head);
  });
});

describe.each(sqlEngines)('StoreLogEventSource on %s: checkpoints and redelivery', (_label, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => t.drop());

  it('resumes after a restart from its checkpoint and handles a redelivered batch once', async () => {
    const store = await new SqlEventStore(t.db, 'src').migrate();
    const inbox = await new IdempotentConsumer(t.db, 'sink').migrate();
    await t.db.exec(`CREATE TABLE IF NOT EXISTS sink.counts (stream_id text PRIMARY KEY, n int NOT NULL)`);
    for (let i = 0; i < 5; i++) await store.appendToStream('a', [{ type: 'E', data: { i } }], 'any', meta);

    const firstRun = new ConsumerProgress();
    const source = new StoreLogEventSource(() => store, inbox, firstRun);
    const consumer = countingConsumer('sink.restart');
    await source.start(consumer);
    expect(await firstRun.waitFor([consumer.name], 'src', 5, 5000)).toBe(true);
    await source.stop();

    // While stopped, more events arrive; the same batch is also delivered again by hand.
    for (let i = 5; i < 8; i++) await store.appendToStream('a', [{ type: 'E', data: { i } }], 'any', meta);
    await inbox.applyOrdered(consumer, 'src', await store.readAll(0, 5));

    const secondRun = new ConsumerProgress();
    const restarted = new StoreLogEventSource(() => store, inbox, secondRun);
    await restarted.start(consumer);
    expect(secondRun.position(consumer.name, 'src')).toBe(5);
    expect(await secondRun.waitFor([consumer.name], 'src', 8, 5000)).toBe(true);
    await restarted.stop();
    const [row] = await t.db.query<{ n: number }>(`SELECT n FROM sink.counts WHERE stream_id = 'a'`);
    expect(row.n).toBe(8);
  });

  it('sets aside an event that keeps failing and carries on', async () => {
    const store = await new SqlEventStore(t.db, 'src2').migrate();
    const inbox = await new IdempotentConsumer(t.db, 'sink').migrate();
    for (const poison of [false, true, false])
      await store.appendToStream(`p-${poison}`, [{ type: 'E', data: { poison } }], 'any', meta);
    await t.db.exec(`CREATE TABLE IF NOT EXISTS sink.handled (position bigint PRIMARY KEY)`);
    const consumer: EventConsumer = {
      name: 'sink.poison',
      sources: ['src2'],
      async handle(event, tx) {
        if ((event.data as { poison: boolean }).poison) throw new Error('cannot handle');
        await tx.query(`INSERT INTO sink.handled (position) VALUES ($1)`, [event.globalPosition]);
      },
    };
    const progress = new ConsumerProgress();
    const source = new StoreLogEventSource(() => store, inbox, progress, { maxAttempts: 2 });
    await source.start(consumer);
    expect(await progress.waitFor([consumer.name], 'src2', 3, 10_000)).toBe(true);
    await source.stop();
    const handled = await t.db.query<{ position: number }>(
      `SELECT position FROM sink.handled ORDER BY position`,
    );
    expect(handled.map((r) => r.position)).toEqual([1, 3]);
    const dead = await t.db.query<{ global_position: number; error: string }>(
      `SELECT global_position, error FROM sink.dead_letters WHERE consumer = 'sink.poison'`,
    );
    expect(dead).toHaveLength(1);
    expect(dead[0].global_position).toBe(2);
    expect(dead[0].error).toContain('cannot handle');
  });
});

describe('StoreLogEventSource on PostgreSQL: gathering appends', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.drop());

  it('applies appends that come soon after a read in one batch, at once when a read waits for them', async () => {
    const store = await new SqlEventStore(t.db, 'src').migrate();
    const inbox = await new IdempotentConsumer(t.db, 'sink').migrate();
    const batches: number[][] = [];
    const consumer: EventConsumer = {
      name: 'sink.gathering',
      sources: ['src'],
      handle: (event, tx) => consumer.handleBatch!([event], tx),
      async handleBatch(events) {
        batches.push(events.map((e) => e.globalPosition));
      },
    };
    const progress = new ConsumerProgress();
    // A gathering pause far longer than the test: only a waiting read (or stop) can end it.
    const source = new StoreLogEventSource(() => store, inbox, progress, { gatherMs: 600_000 });
    await source.start(consumer);
    // Woken by the same appends without gathering: how far it gets is how far the other could have got.
    const reference = new ConsumerProgress();
    const referenceSource = new StoreLogEventSource(() => store, inbox, reference);
    await referenceSource.start({ name: 'sink.reference', sources: ['src'], handle: async () => undefined });

    // After a quiet moment the first append is read at once.
    await store.appendToStream('g', [{ type: 'E', data: { i: 1 } }], 'any', meta);
    expect(await progress.waitFor([consumer.name], 'src', 1, 10_000)).toBe(true);
    // The next ones wait for more to come...
    for (let i = 2; i <= 4; i++) await store.appendToStream('g', [{ type: 'E', data: { i } }], 'any', meta);
    expect(await reference.waitFor(['sink.reference'], 'src', 4, 10_000)).toBe(true);
    expect(progress.position(consumer.name, 'src')).toBe(1);
    // ...until a read waits for them: then they come in one batch.
    expect(await progress.waitFor([consumer.name], 'src', 4, 10_000)).toBe(true);
    expect(batches).toEqual([[1], [2, 3, 4]]);

    // A read that begins waiting before its event is appended does not wait for the pause either.
    const waiting = progress.waitFor([consumer.name], 'src', 5, 10_000);
    await store.appendToStream('g', [{ type: 'E', data: { i: 5 } }], 'any', meta);
    expect(await waiting).toBe(true);

    // Stopping ends a pause too, and writes the checkpoint.
    await store.appendToStream('g', [{ type: 'E', data: { i: 6 } }], 'any', meta);
    await Promise.all([source.stop(), referenceSource.stop()]);
    expect(await inbox.checkpoint(consumer.name, 'src')).toBe(5);
  });
});

describe('StoreLogEventSource on PostgreSQL: the consumers of a store apply an append together', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.drop());

  it('in one transaction across schemas, also when one consumer started later than the other', async () => {
    const store = await new SqlEventStore(t.db, 'src').migrate();
    const together = new OrderedBatchesTogether(t.db);
    const progress = new ConsumerProgress();
    const reader = new SharedLogReader(store);
    const sources: StoreLogEventSource[] = [];
    /** Starts a consumer in its own schema (as `ConsumerHost` does) that records the transaction of each event. */
    const start = async (schema: string) => {
      const inbox = await new IdempotentConsumer(t.db, schema, together).migrate();
      await t.db.exec(`CREATE TABLE ${schema}.applied (subject text PRIMARY KEY, tx xid8 NOT NULL)`);
      const source = new StoreLogEventSource(() => reader, inbox, progress, { gatherMs: 200 });
      sources.push(source);
      await source.start({
        name: `${schema}.recorder`,
        sources: ['src'],
        async handle(event, tx) {
          await tx.query(`INSERT INTO ${schema}.applied VALUES ($1, pg_current_xact_id())`, [event.subject]);
        },
      });
    };
    const txOf = async (schema: string, subject: string) =>
      (await t.db.query(`SELECT tx::text FROM ${schema}.applied WHERE subject = $1`, [subject]))[0]?.tx;

    await start('sink_early');
    await store.appendToStream('e1', [{ type: 'E', data: {} }], 'any', meta);
    expect(await progress.waitFor(['sink_early.recorder'], 'src', 1, 10_000)).toBe(true);
    // The second starts after the first read: its own last read is later than the first's.
    await start('sink_late');
    expect(await progress.waitFor(['sink_late.recorder'], 'src', 1, 10_000)).toBe(true);
    // Appended within both gathering pauses: each pause counts from the reader's newest read that found
    // events, so both end on the same timer and read, and apply, together.
    // (Awaited through the progress reports, not `waitFor`: a read waiting for the consumers would end
    // their pauses at once.)
    const both = ['sink_early.recorder', 'sink_late.recorder'];
    const applied = new Promise<void>((resolve) =>
      progress.onReport(() => both.every((c) => progress.position(c, 'src') >= 2) && resolve()),
    );
    await store.appendToStream('e2', [{ type: 'E', data: {} }], 'any', meta);
    await applied;
    expect(await txOf('sink_early', 'e2')).toBe(await txOf('sink_late', 'e2'));
    expect(await txOf('sink_early', 'e1')).not.toBe(await txOf('sink_late', 'e1'));
    await Promise.all(sources.map((s) => s.stop()));
  });
});
