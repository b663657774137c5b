import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@dap/contracts';
import { ident, SqlEventStore } from '@dap/eventsourcing';
import { ConsumerProgress, IdempotentConsumer, StoreLogEventSource } from '@dap/messaging';
import { createTestDatabase, type TestDatabase } from '@dap/testing';
import { projections } from './projection-registry.js';
import { rebuildProjection, type RebuildableProjection } from './projection-rebuild.js';
import { withoutZeroCounters } from './read-table-equivalence.js';
import { appendStory, STORES } from './rebuild-projection.story.js';

/** Redelivery batch size: small enough that a batch ends in the middle of most streams. */
const BATCH = 7;
const names = Object.keys(projections);

/**
 * At-least-once delivery, for every read model the registry lists: each batch of events is handed to
 * the projection's handler, then the same batch again (as after a crash between the handler's commit
 * and the checkpoint's, or a Kafka redelivery), bypassing the inbox that normally filters repeats. The
 * tables must end exactly as when every event is handled once, as the live consumers left them, and
 * as a rebuild makes them.
 */
describe('every read model, fed each batch of a multi-service story twice', () => {
  let t: TestDatabase;
  const loaded: Record<string, RebuildableProjection> = {};
  const storeOf = (name: string) => new SqlEventStore(t.db, name);
  const events: Record<string, EventEnvelope[]> = {};
  let live: Record<string, Record<string, unknown[]>>;

  /** A projection's tables, rows in a total order. */
  const dump = async ({ schema, tables }: RebuildableProjection) => {
    const out: Record<string, unknown[]> = {};
    for (const table of tables)
      out[`${schema}.${table}`] = await t.db.query(
        `SELECT * FROM ${ident(schema)}.${ident(table)} AS r ORDER BY r::text`,
      );
    return withoutZeroCounters(out);
  };
  /** Empty tables and no checkpoints, as before the first event. */
  const reset = async ({ consumer, schema, tables, ddl }: RebuildableProjection) => {
    const inbox = await new IdempotentConsumer(t.db, schema).migrate();
    await t.db.transaction(async (tx) => {
      await inbox.reset(tx, consumer.name);
      for (const table of tables)
        await tx.exec(`DROP TABLE IF EXISTS ${ident(schema)}.${ident(table)} CASCADE`);
      await tx.exec(ddl);
    });
  };
  /** Hands every event the consumer wants to its handler, one transaction per batch, each batch `times` times. */
  const feed = async ({ consumer }: RebuildableProjection, times: number) => {
    let handled = 0;
    for (const source of consumer.sources) {
      const wanted = events[source].filter((e) => !consumer.types || consumer.types.includes(e.type));
      for (let start = 0; start < wanted.length; start += BATCH) {
        const batch = wanted.slice(start, start + BATCH);
        for (let n = 0; n < times; n++)
          await t.db.transaction(async (tx) => {
            for (const event of batch) await consumer.handle(event, tx);
          });
        handled += batch.length * times;
      }
    }
    return handled;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    for (const name of STORES) await storeOf(name).migrate();
    for (const name of names) loaded[name] = await projections[name]();
    for (const projection of Object.values(loaded)) await reset(projection);
    await appendStory(storeOf);
    for (const name of STORES) events[name] = await storeOf(name).readAll(0, 100_000);

    // The live path once: every projection through the in-process delivery loop, as a process runs it.
    const progress = new ConsumerProgress();
    const sources: StoreLogEventSource[] = [];
    for (const { schema, consumer } of Object.values(loaded)) {
      const inbox = await new IdempotentConsumer(t.db, schema).migrate();
      const source = new StoreLogEventSource(storeOf, inbox, progress, { pollIntervalMs: 20 });
      sources.push(source);
      await source.start(consumer);
    }
    for (const name of STORES) {
      const readers = names.filter((n) => loaded[n].consumer.sources.includes(name));
      expect(await progress.waitFor(readers, name, await storeOf(name).headPosition(), 20_000)).toBe(true);
    }
    await Promise.all(sources.map((s) => s.stop()));
    live = {};
    for (const name of names) live[name] = await dump(loaded[name]);
  }, 60_000);
  afterAll(async () => t?.drop());

  it('covers every registered projection with a story that fills all of its tables', () => {
    expect(names.length).toBeGreaterThanOrEqual(9);
    for (const name of names)
      for (const [table, rows] of Object.entries(live[name]))
        expect([name, table, rows.length > 0]).toEqual([name, table, true]);
    const story = new Set(Object.values(events).flatMap((all) => all.map((e) => e.type)));
    const unexercised = names.flatMap((name) =>
      (loaded[name].consumer.types ?? [])
        .filter((type) => !story.has(type))
        .map((type) => `${name}: ${type}`),
    );
    console.log(
      `event types a projection handles that the story never appends: ${unexercised.join(', ') || 'none'}`,
    );
  });

  it.each(names)('%s: twice-fed equals once-fed, the live tables and a rebuild', async (name) => {
    const projection = loaded[name];
    await reset(projection);
    const handledOnce = await feed(projection, 1);
    const once = await dump(projection);

    await reset(projection);
    const handledTwice = await feed(projection, 2);
    const twice = await dump(projection);
    // And the whole log once more, long after: old events arriving after newer ones.
    await feed(projection, 1);
    const thrice = await dump(projection);

    await rebuildProjection(t.db, storeOf, projection, { batchSize: BATCH });
    const rebuilt = await dump(projection);
    console.log(
      `${name}: ${handledOnce} events handled once, ${handledTwice} when each batch of ${BATCH} is redelivered; ` +
        `${Object.values(once).reduce((n, rows) => n + rows.length, 0)} rows`,
    );
    expect(handledOnce).toBeGreaterThan(0);
    expect(once).toEqual(live[name]);
    expect(twice).toEqual(once);
    expect(thrice).toEqual(once);
    expect(rebuilt).toEqual(once);
  });
});
