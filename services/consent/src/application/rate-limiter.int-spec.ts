import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError, type SqlClient } from '@dap/eventsourcing';
import { sqlEngines, type TestDatabase } from '@dap/testing';
import { migrateConsentTables } from '../projections/consent-tables.js';
import { AttemptCounter, attemptKey } from './attempt-counter.js';
import { AcceptanceRateLimiter } from './rate-limiter.js';

const T0 = new Date('2026-11-21T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** The 429 a limited attempt throws, or null when the attempt was let through. */
async function refusal(attempt: Promise<void>): Promise<DomainError | null> {
  try {
    await attempt;
    return null;
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'too-many-requests') return error;
    throw error;
  }
}

describe.each(sqlEngines)('offer-link attempt limits on %s', (_engine, open) => {
  let tdb: TestDatabase;
  let db: SqlClient;
  let run = 0;
  /** Each test its own keys: a caller and an offer nobody else uses. */
  const fresh = () => {
    run++;
    return { caller: { tid: `tenant-${run}`, sub: `admin@${run}` }, offerId: `offer-${run}` };
  };

  beforeAll(async () => {
    tdb = await open();
    db = tdb.db;
    await migrateConsentTables(db);
  });
  afterAll(async () => tdb?.drop());

  it('counts hits in a window that opens at the first one, then starts again', async () => {
    const counter = new AttemptCounter(db);
    const key = attemptKey('test', 'k', String(run++));
    expect(await counter.hit(key, 60_000, at(0))).toEqual({ hits: 1, windowEnd: at(60_000) });
    expect(await counter.hit(key, 60_000, at(59_999))).toEqual({ hits: 2, windowEnd: at(60_000) });
    const other = attemptKey('test', 'other', String(run++));
    expect((await counter.hitAndPeek(other, 60_000, at(59_999), key)).peeked).toEqual({
      hits: 2,
      windowEnd: at(60_000),
    });
    expect((await counter.hitAndPeek(other, 60_000, at(60_000), key)).peeked).toBeNull();
    expect(await counter.hit(key, 60_000, at(60_000))).toEqual({ hits: 1, windowEnd: at(120_000) });
  });

  it('counts concurrent hits exactly (one atomic upsert each)', async () => {
    const counter = new AttemptCounter(db);
    const key = attemptKey('test', 'concurrent', String(run++));
    const counts = await Promise.all(Array.from({ length: 40 }, () => counter.hit(key, 60_000, at(0))));
    expect(counts.map((c) => c.hits).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });

  it('keys are fixed-length whatever the caller or offer id', () => {
    expect(attemptKey('caller', 'x'.repeat(10_000), 'y')).toMatch(/^caller:[0-9a-f]{64}$/);
    expect(attemptKey('caller', 'a/b', 'c')).not.toBe(attemptKey('caller', 'a', 'b/c'));
  });

  it('limits every attempt of one caller, with Retry-After until its window ends', async () => {
    const limiter = new AcceptanceRateLimiter(db, {
      perCaller: { limit: 3, windowMs: 60_000 },
      failuresPerOffer: { limit: 100, windowMs: 60_000 },
    });
    const { caller, offerId } = fresh();
    for (let i = 0; i < 3; i++)
      expect(await refusal(limiter.attempt(caller, offerId, at(i * 1000)))).toBeNull();
    const refused = await refusal(limiter.attempt(caller, offerId, at(20_000)));
    expect(refused?.details.retryAfterSeconds).toBe(40);
    expect(
      await refusal(limiter.attempt({ ...caller, sub: 'someone-else' }, offerId, at(20_000))),
    ).toBeNull();
    expect(await refusal(limiter.attempt(caller, offerId, at(60_000)))).toBeNull();
  });

  it('limits failures per offer; once they reach the limit even a right code waits', async () => {
    const limiter = new AcceptanceRateLimiter(db, {
      perCaller: { limit: 100, windowMs: 60_000 },
      failuresPerOffer: { limit: 2, windowMs: 60_000 },
    });
    const { caller, offerId } = fresh();
    expect(await refusal(limiter.attempt(caller, offerId, at(0)))).toBeNull();
    expect(await refusal(limiter.failed(offerId, at(0)))).toBeNull();
    expect(await refusal(limiter.attempt(caller, offerId, at(1000)))).toBeNull();
    expect(await refusal(limiter.failed(offerId, at(1000)))).toBeNull();
    // Any caller's attempt at the offer now waits, before its code is looked at.
    const other = { ...caller, sub: 'another-admin' };
    expect((await refusal(limiter.attempt(other, offerId, at(2000))))?.details.retryAfterSeconds).toBe(58);
    expect((await refusal(limiter.failed(offerId, at(2000))))?.details.retryAfterSeconds).toBe(58);
    expect(await refusal(limiter.attempt(caller, `${offerId}-other`, at(2000)))).toBeNull();
    expect(await refusal(limiter.attempt(caller, offerId, at(60_000)))).toBeNull();
  });

  it('deletes the rows of ended windows', async () => {
    const counter = new AttemptCounter(db);
    const key = attemptKey('test', 'ended', String(run++));
    await counter.hit(key, 1000, at(0));
    await counter.deleteEnded(at(1000));
    const rows = await db.query(`SELECT key FROM consent.link_attempts WHERE window_end <= $1::timestamptz`, [
      at(1000).toISOString(),
    ]);
    expect(rows).toEqual([]);
    // The limiter cleans up by itself once its longest window has passed.
    const limiter = new AcceptanceRateLimiter(db, {
      perCaller: { limit: 5, windowMs: 1000 },
      failuresPerOffer: { limit: 5, windowMs: 1000 },
    });
    await limiter.failed('cleanup-offer', at(10_000));
    await limiter.attempt({ tid: 't', sub: 's' }, 'cleanup-offer', at(20_000));
    expect(
      await db.query(`SELECT key FROM consent.link_attempts WHERE key = $1`, [
        attemptKey('offer-failures', 'cleanup-offer'),
      ]),
    ).toEqual([]);
  });
});
