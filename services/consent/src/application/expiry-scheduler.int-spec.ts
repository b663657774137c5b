import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqlEventStore, type EventStore, type SqlClient } from '@dap/eventsourcing';
import { createTestDatabase, type TestDatabase } from '@dap/testing';
import { delegationListProjection } from '../projections/delegation-list.projection.js';
import { migrateConsentTables } from '../projections/consent-tables.js';
import { offerTermsProjection } from '../projections/offer-terms.projection.js';
import { ExpiryScheduler } from './expiry-scheduler.js';
import { hashLinkCode } from './link-code.js';
import { OfferLinks } from './offer-links.service.js';
import { AcceptanceRateLimiter } from './rate-limiter.js';

const T0 = new Date('2026-11-21T10:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const description = (n: number) => ({
  name: `Client ${n}`,
  primaryDomain: `c${n}.example`,
  address: { line1: '1 Road', city: 'Beijing', postalCode: '100000', country: 'CN' },
});

/** A mail drop that can crash: after `failAfter` sends it records the message and then throws. */
class RecordingMailer {
  readonly delivered = new Map<string, number>();
  failAfter = Infinity;
  async send(message: { id: string }) {
    this.delivered.set(message.id, (this.delivered.get(message.id) ?? 0) + 1);
    if (this.delivered.size > this.failAfter) throw new Error('simulated crash after the mail left');
  }
}

describe('expiry scheduler on PostgreSQL', () => {
  let tdb: TestDatabase;
  let db: SqlClient;
  let consent: EventStore;
  const project = async (store: EventStore, consumer: typeof delegationListProjection, after = 0) => {
    for (const e of await store.readAll(after, 10_000)) {
      if (consumer.types!.includes(e.type)) await db.transaction((tx) => consumer.handle(e, tx));
    }
  };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = tdb.db;
    const offers = await new SqlEventStore(db, 'offer').migrate();
    consent = await new SqlEventStore(db, 'consent').migrate();
    await migrateConsentTables(db);
    const base = { includes: {}, expiresAt: null, partnerId: 'p1' };
    await offers.appendToStream(
      'offer-short',
      [
        {
          type: 'OfferCreated',
          data: {
            ...base,
            offerId: 'short',
            grantedRoles: ['full', 'limited'],
            delegationDuration: 'P40D',
            autoExtend: false,
            codeHash: hashLinkCode('s'),
          },
        },
      ],
      0,
      { actor: { id: 'admin@p1.example' }, partnerId: 'p1' },
    );
    await offers.appendToStream(
      'offer-auto',
      [
        {
          type: 'OfferCreated',
          data: {
            ...base,
            offerId: 'auto',
            grantedRoles: ['limited'],
            delegationDuration: 'P40D',
            autoExtend: true,
            codeHash: hashLinkCode('a'),
          },
        },
      ],
      0,
      { actor: { id: 'admin@p1.example' }, partnerId: 'p1' },
    );
    await project(offers, offerTermsProjection);
    const links = new OfferLinks(
      consent,
      db,
      { now: () => T0 },
      new AcceptanceRateLimiter(db, {
        perCaller: { limit: 100, windowMs: 1 },
        failuresPerOffer: { limit: 100, windowMs: 1 },
      }),
    );
    for (let n = 1; n <= 4; n++)
      await links.accept('short', 's', description(n), {
        sub: `admin@c${n}`,
        tid: `c${n}`,
        roles: ['client.admin'],
      });
    await links.accept('auto', 'a', description(9), { sub: 'admin@c9', tid: 'c9', roles: ['client.admin'] });
    await project(consent, delegationListProjection);
  });
  afterAll(async () => tdb?.drop());

  it('sends every notice once across a crash and a restart, then expires or extends at the instant', async () => {
    const mailer = new RecordingMailer();
    // 5 delegations expire at T0+40d: at T0+39d each is due its 30-, 7- and 1-day notices (15 in all).
    const clockAt = at(39);
    mailer.failAfter = 6; // the process dies on the 7th mail, after it left but before it was recorded
    const first = new ExpiryScheduler(consent, db, mailer, { now: () => clockAt });
    await expect(first.tick()).rejects.toThrow('simulated crash');
    const [{ recorded }] = await db.query<{ recorded: number }>(
      `SELECT count(*)::int AS recorded FROM consent.expiry_notices`,
    );
    expect(recorded).toBe(6);

    mailer.failAfter = Infinity;
    const restarted = new ExpiryScheduler(consent, db, mailer, { now: () => clockAt });
    expect(await restarted.tick()).toEqual({ expired: 0, extended: 0, noticesSent: 9 });
    expect(mailer.delivered.size).toBe(15);
    // Only the mail that was in flight at the crash went out twice, under the same id (the file drop replaces it).
    expect([...mailer.delivered.values()].filter((n) => n > 1)).toEqual([2]);
    expect(await restarted.tick()).toEqual({ expired: 0, extended: 0, noticesSent: 0 });

    const justBefore = new Date(at(40).getTime() - 1);
    expect(await restarted.tick(justBefore)).toEqual({ expired: 0, extended: 0, noticesSent: 0 });
    const head = await consent.headPosition();
    expect(await restarted.tick(at(40))).toEqual({ expired: 4, extended: 1, noticesSent: 0 });
    await project(consent, delegationListProjection, head);
    const rows = await db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM consent.delegations GROUP BY status ORDER BY status`,
    );
    expect(rows).toEqual([
      { status: 'active', n: 1 },
      { status: 'expired', n: 4 },
    ]);
    const [extended] = await db.query<{ expires_at: Date }>(
      `SELECT expires_at FROM consent.delegations WHERE client_id = 'c9'`,
    );
    expect(new Date(extended.expires_at).toISOString()).toBe(at(220).toISOString());
    // The extended period gets its own notices, 30 days before the new expiry.
    expect((await restarted.tick(at(190))).noticesSent).toBe(1);
  });
});
