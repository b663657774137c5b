import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@dap/contracts';
import { createTestDatabase, type TestDatabase } from '@dap/testing';
import type { EventConsumer } from './event-consumer.js';
import { IdempotentConsumer, OrderedBatchesTogether } from './idempotent-consumer.js';

/** Polls a condition (every 5 ms, at most 5 s). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not reached within 5 s');
}

const event = (source: string, subject: string, globalPosition: number): EventEnvelope => ({
  id: randomUUID(),
  type: 'Happened',
  schemaVersion: 1,
  source,
  subject,
  time: new Date().toISOString(),
  actor: { id: 'system:test' },
  streamVersion: 1,
  globalPosition,
  data: {},
});

/**
 * A consumer of two sources that records which batches entered it; the batch of subject `held`
 * stays inside (its transaction open) until `release` is called.
 */
function gatedConsumer(name: string, oneAtATime: boolean) {
  const entered: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const consumer: EventConsumer = {
    name,
    sources: ['a', 'b'],
    oneAtATime,
    handle: (e) => consumer.handleBatch!([e], undefined as never),
    async handleBatch(events) {
      entered.push(events[0].subject);
      if (events[0].subject === 'held') await gate;
    },
  };
  return { consumer, entered, release };
}

describe('IdempotentConsumer: a oneAtATime consumer', () => {
  let t: TestDatabase;
  let inbox: IdempotentConsumer;
  beforeAll(async () => {
    t = await createTestDatabase();
    inbox = await new IdempotentConsumer(t.db, 'sink').migrate();
  });
  afterAll(async () => t.drop());

  const waitingOnAdvisoryLock = async () =>
    (
      await t.db.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`,
      )
    ).length > 0;

  /** Starts the held batch from source a, then `second` from source b; what entered while a was held. */
  async function whileHeld(
    name: string,
    oneAtATime: boolean,
    second: (c: EventConsumer) => Promise<unknown>,
  ) {
    const { consumer, entered, release } = gatedConsumer(name, oneAtATime);
    const first = inbox.applyOrdered(consumer, 'a', [event('a', 'held', 1)]);
    await until(async () => entered.length === 1);
    const other = second(consumer);
    // Either the other source's batch is in too, or its transaction waits on the advisory lock.
    await until(async () => entered.length === 2 || (await waitingOnAdvisoryLock()));
    const duringHold = [...entered];
    release();
    await Promise.all([first, other]);
    return { duringHold, after: entered };
  }

  it('applies another source only once the open transaction has committed (ordered sources)', async () => {
    const { duringHold, after } = await whileHeld('sink.serial', true, (c) =>
      inbox.applyOrdered(c, 'b', [event('b', 'other', 1)]),
    );
    expect(duringHold).toEqual(['held']);
    expect(after).toEqual(['held', 'other']);
  });

  it('and the same for an unordered source (Kafka)', async () => {
    const { duringHold, after } = await whileHeld('sink.serial-kafka', true, (c) =>
      inbox.applyUnordered(c, 'b', event('b', 'other', 1)),
    );
    expect(duringHold).toEqual(['held']);
    expect(after).toEqual(['held', 'other']);
  });

  it('while a consumer without it applies both sources at once', async () => {
    const { duringHold } = await whileHeld('sink.parallel', false, (c) =>
      inbox.applyOrdered(c, 'b', [event('b', 'other', 1)]),
    );
    expect(duringHold).toEqual(['held', 'other']);
  });
});

describe('IdempotentConsumer: a batch applied from the checkpoint its caller expects', () => {
  let t: TestDatabase;
  let inbox: IdempotentConsumer;
  beforeAll(async () => {
    t = await createTestDatabase();
    inbox = await new IdempotentConsumer(t.db, 'sink').migrate();
    await t.db.exec(`CREATE TABLE sink.applied (subject text NOT NULL)`);
  });
  afterAll(async () => t.drop());

  /** A consumer whose every application of an event is a row in sink.applied (so twice shows). */
  const recorder: EventConsumer = {
    name: 'sink.recorder',
    sources: ['a'],
    handle: (e, tx) => recorder.handleBatch!([e], tx),
    async handleBatch(events, tx) {
      await tx.query(`INSERT INTO sink.applied SELECT unnest($1::text[])`, [events.map((e) => e.subject)]);
    },
  };
  const events = [1, 2, 3, 4, 5].map((p) => event('a', `e${p}`, p));
  const applied = async () =>
    (await t.db.query<{ subject: string }>(`SELECT subject FROM sink.applied ORDER BY subject`)).map(
      (r) => r.subject,
    );

  it('applies once what a stale expectation would apply twice, and moves to the batch end', async () => {
    expect(await inbox.applyOrdered(recorder, 'a', events.slice(0, 3), 0)).toBe(3);
    // The caller still thinks 0 (another process moved the checkpoint to 3 meanwhile).
    expect(await inbox.applyOrdered(recorder, 'a', events, 0)).toBe(5);
    expect(await applied()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(await inbox.checkpoint('sink.recorder', 'a')).toBe(5);
  });

  it('skips a batch wholly at or below the checkpoint, expected or not, and never moves it back', async () => {
    expect(await inbox.applyOrdered(recorder, 'a', events, 5)).toBe(5);
    expect(await inbox.applyOrdered(recorder, 'a', events, 2)).toBe(5);
    expect(await inbox.applyOrdered(recorder, 'a', events.slice(0, 3), 3)).toBe(5);
    expect(await inbox.checkpoint('sink.recorder', 'a')).toBe(5);
    expect(await applied()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });
});

describe('OrderedBatchesTogether: batches handed over in the same turn', () => {
  let t: TestDatabase;
  let a: IdempotentConsumer;
  let b: IdempotentConsumer;
  beforeAll(async () => {
    t = await createTestDatabase();
    const together = new OrderedBatchesTogether(t.db);
    a = await new IdempotentConsumer(t.db, 'sink_a', together).migrate();
    b = await new IdempotentConsumer(t.db, 'sink_b', together).migrate();
    for (const schema of ['sink_a', 'sink_b'])
      await t.db.exec(
        `CREATE TABLE ${schema}.applied (consumer text NOT NULL, subject text NOT NULL, tx xid8 NOT NULL)`,
      );
  });
  afterAll(async () => t.drop());

  /** A consumer that records each event it applies, with the transaction that applied it, in its schema. */
  const recorder = (schema: string, name: string, failOn?: string): EventConsumer => {
    const consumer: EventConsumer = {
      name,
      sources: ['src'],
      handle: (e, tx) => consumer.handleBatch!([e], tx),
      async handleBatch(events, tx) {
        await tx.query(`INSERT INTO ${schema}.applied SELECT $1, unnest($2::text[]), pg_current_xact_id()`, [
          name,
          events.map((e) => e.subject),
        ]);
        if (events.some((e) => e.subject === failOn)) throw new Error(`${name} refuses ${failOn}`);
      },
    };
    return consumer;
  };
  const applied = async (schema: string, name: string) =>
    t.db.query<{ subject: string; tx: string }>(
      `SELECT subject, tx::text FROM ${schema}.applied WHERE consumer = $1 ORDER BY subject`,
      [name],
    );
  const subjects = async (schema: string, name: string) =>
    (await applied(schema, name)).map((r) => r.subject);
  const events = [1, 2, 3].map((p) => event('src', `e${p}`, p));

  it('applies them in one transaction, each from its own checkpoint', async () => {
    const first = recorder('sink_a', 'sink_a.first');
    const second = recorder('sink_b', 'sink_b.second');
    await a.applyAlone(first, 'src', events.slice(0, 1), 0);
    const positions = await Promise.all([
      a.applyOrdered(first, 'src', events, 1),
      b.applyOrdered(second, 'src', events, 0),
    ]);
    expect(positions).toEqual([3, 3]);
    const [one, two] = [await applied('sink_a', first.name), await applied('sink_b', second.name)];
    expect([one, two].map((rows) => rows.map((r) => r.subject))).toEqual([
      ['e1', 'e2', 'e3'],
      ['e1', 'e2', 'e3'],
    ]);
    // e1 of the first consumer came before, alone; everything else in one transaction.
    expect(new Set([...one.slice(1), ...two].map((r) => r.tx)).size).toBe(1);
    expect(one[0].tx).not.toBe(two[0].tx);
    expect([await a.checkpoint(first.name, 'src'), await b.checkpoint(second.name, 'src')]).toEqual([3, 3]);
  });

  it('applies a long batch (a consumer catching up) in a transaction of its own', async () => {
    const behind = recorder('sink_a', 'sink_a.behind');
    const live = recorder('sink_b', 'sink_b.live');
    const many = Array.from({ length: 100 }, (_, i) => event('src', `m${String(i).padStart(3, '0')}`, i + 1));
    await Promise.all([
      a.applyOrdered(behind, 'src', many, 0),
      b.applyOrdered(live, 'src', many.slice(0, 2), 0),
    ]);
    const [long, short] = [await applied('sink_a', behind.name), await applied('sink_b', live.name)];
    expect([long.length, short.length]).toEqual([100, 2]);
    expect(long[0].tx).not.toBe(short[0].tx);
  });

  it('applies the others alone when one fails, and only the one at fault sees its error', async () => {
    const healthy = recorder('sink_a', 'sink_a.healthy');
    const failing = recorder('sink_b', 'sink_b.failing', 'e2');
    const [ok, failed] = await Promise.allSettled([
      a.applyOrdered(healthy, 'src', events, 0),
      b.applyOrdered(failing, 'src', events, 0),
    ]);
    expect(ok).toEqual({ status: 'fulfilled', value: 3 });
    expect(failed).toMatchObject({ status: 'rejected', reason: new Error('sink_b.failing refuses e2') });
    // Applied once (the shared transaction was rolled back whole), the failing one not at all.
    expect(await subjects('sink_a', healthy.name)).toEqual(['e1', 'e2', 'e3']);
    expect(await applied('sink_b', failing.name)).toEqual([]);
    expect(await b.checkpoint(failing.name, 'src')).toBe(0);
  });

  it('applies nothing twice when another process moved a checkpoint meanwhile', async () => {
    const mine = recorder('sink_a', 'sink_a.mine');
    const moved = recorder('sink_b', 'sink_b.moved');
    await b.applyAlone(moved, 'src', events.slice(0, 2), 0);
    // The loop of `moved` still thinks 0.
    const positions = await Promise.all([
      a.applyOrdered(mine, 'src', events, 0),
      b.applyOrdered(moved, 'src', events, 0),
    ]);
    expect(positions).toEqual([3, 3]);
    expect([await subjects('sink_a', mine.name), await subjects('sink_b', moved.name)]).toEqual([
      ['e1', 'e2', 'e3'],
      ['e1', 'e2', 'e3'],
    ]);
  });
});
