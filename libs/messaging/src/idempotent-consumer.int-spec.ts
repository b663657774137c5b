import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@dap/contracts';
import { createTestDatabase, type TestDatabase } from '@dap/testing';
import type { EventConsumer } from './event-consumer.js';
import { IdempotentConsumer } from './idempotent-consumer.js';

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
