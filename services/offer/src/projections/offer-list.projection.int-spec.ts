import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@dap/contracts';
import { migrate, MemoryEventStore } from '@dap/eventsourcing';
import { IdempotentConsumer, type EventConsumer } from '@dap/messaging';
import { sqlEngines, type TestDatabase } from '@dap/testing';
import { OFFER_LIST, offerListDdl, offerListProjection } from './offer-list.projection.js';

const hash = (n: number) => n.toString(16).padStart(64, '0');
const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 9, minute));
const address = { line1: '1 Road', city: 'Shanghai', postalCode: '200000', country: 'CN' };

/** Two stores as the services fill them: offers in `offer`, acceptances in `consent`. */
async function story() {
  const offer = new MemoryEventStore('offer');
  const consent = new MemoryEventStore('consent');
  const meta = (partnerId: string, minute: number) => ({
    actor: { id: `admin@${partnerId}.example`, tenantId: partnerId },
    partnerId,
    time: at(minute),
  });
  const created = (offerId: string, partnerId: string, extra: object = {}) => ({
    type: 'OfferCreated',
    data: {
      offerId,
      partnerId,
      includes: {},
      grantedRoles: ['limited'],
      delegationDuration: 'P90D',
      autoExtend: false,
      expiresAt: null,
      codeHash: hash(1),
      ...extra,
    },
  });
  const granted = (delegationId: string, offerId: string, partnerId: string, clientId: string) => ({
    type: 'DelegationGranted',
    data: {
      delegationId,
      partnerId,
      clientId,
      offerId,
      grantedRoles: ['limited'],
      grantedBy: `admin@${clientId}.example`,
      grantedAt: at(30).toISOString(),
      expiresAt: null,
      delegationDuration: 'P90D',
      autoExtend: false,
      client: { name: clientId, primaryDomain: `${clientId}.example`, address },
      includes: {},
    },
  });
  // Consent's first acceptance of o1 is in its log before the offer service's OfferCreated is read.
  await consent.appendToStream('delegation-d1', [granted('d1', 'o1', 'p1', 'c1')], 0, meta('c1', 1));
  const o1 = [
    created('o1', 'p1', { includes: { trial: { productId: 'm365-business' } }, message: 'Welcome' }),
    {
      type: 'OfferSent',
      data: { offerId: 'o1', recipients: ['a@c1.example', 'b@c1.example'], sentBy: 'admin', linkVersion: 1 },
    },
    { type: 'OfferLinkRotated', data: { offerId: 'o1', codeHash: hash(2) } },
    {
      type: 'OfferSent',
      data: { offerId: 'o1', recipients: ['a@c2.example'], sentBy: 'admin', linkVersion: 2 },
    },
  ];
  for (const [i, e] of o1.entries()) await offer.appendToStream('offer-o1', [e], i, meta('p1', i));
  await offer.appendToStream('offer-o2', [created('o2', 'p1')], 0, meta('p1', 5));
  await offer.appendToStream(
    'offer-o3',
    [created('o3', 'p2', { expiresAt: at(59).toISOString() })],
    0,
    meta('p2', 6),
  );
  await offer.appendToStream(
    'offer-o2',
    [{ type: 'OfferRevoked', data: { offerId: 'o2', reason: 'typo' } }],
    1,
    meta('p1', 7),
  );
  await consent.appendToStream('delegation-d2', [granted('d2', 'o1', 'p1', 'c2')], 0, meta('c2', 8));
  await consent.appendToStream('delegation-d3', [granted('d3', 'o3', 'p2', 'c3')], 0, meta('c3', 9));
  await consent.appendToStream(
    'delegation-d1',
    [
      {
        type: 'DelegationRevoked',
        data: { delegationId: 'd1', partnerId: 'p1', clientId: 'c1', revokedBy: 'x', side: 'client' },
      },
    ],
    1,
    meta('c1', 10),
  );
  const consentLog = await consent.readAll(0, 100);
  const offerLog = await offer.readAll(0, 100);
  // Delivery order: the early acceptance, then every offer event, then the rest of consent.
  return [
    { source: 'consent', events: consentLog.slice(0, 1) },
    { source: 'offer', events: offerLog },
    { source: 'consent', events: consentLog.slice(1) },
  ];
}

describe.each(sqlEngines)('offer list projection on %s', (_engine, open) => {
  let t: TestDatabase;
  let inbox: IdempotentConsumer;
  let steps: { source: string; events: EventEnvelope[] }[];
  // The same handler under a second checkpoint: delivering through both makes the handler really run twice.
  const twin: EventConsumer = { ...offerListProjection, name: `${OFFER_LIST}.twin` };

  const reset = async () => {
    await t.db.exec(`TRUNCATE offer.offers, offer.acceptances`);
    await t.db.transaction(async (tx) => {
      await inbox.reset(tx, OFFER_LIST);
      await inbox.reset(tx, twin.name);
    });
  };
  const dump = async () => ({
    offers: await t.db.query(
      `SELECT o.*, (SELECT count(*) FROM offer.acceptances a WHERE a.offer_id = o.offer_id)::int AS acceptances
         FROM offer.offers o ORDER BY offer_id`,
    ),
    acceptances: await t.db.query(`SELECT * FROM offer.acceptances ORDER BY delegation_id`),
  });

  beforeAll(async () => {
    t = await open();
    await migrate(t.db, offerListDdl);
    inbox = await new IdempotentConsumer(t.db, 'offer').migrate();
    steps = await story();
  });
  afterAll(async () => t?.drop());

  it('ends identical whether each event is delivered once, twice in a row, or the whole log again', async () => {
    for (const { source, events } of steps) await inbox.applyOrdered(offerListProjection, source, events);
    const once = await dump();
    expect(
      once.offers.map((o: any) => [
        o.offer_id,
        o.status,
        o.sends,
        o.recipients,
        o.link_version,
        o.acceptances,
      ]),
    ).toEqual([
      ['o1', 'active', 2, 3, 2, 2],
      ['o2', 'revoked', 0, 0, 1, 0],
      ['o3', 'active', 0, 0, 1, 1],
    ]);

    await reset();
    for (const { source, events } of steps)
      for (const event of events)
        for (const consumer of [offerListProjection, offerListProjection, twin, twin])
          await inbox.applyOrdered(consumer, source, [event]);
    expect(await dump()).toEqual(once);

    // The whole log again from the start, over the tables as they are.
    await t.db.transaction((tx) => inbox.reset(tx, OFFER_LIST));
    for (const { source, events } of steps) await inbox.applyOrdered(offerListProjection, source, events);
    expect(await dump()).toEqual(once);
    expect(await inbox.checkpoint(OFFER_LIST, 'offer')).toBe(steps[1].events.at(-1)!.globalPosition);

    // One batch holding the same acceptances twice (a redelivery inside a batch) writes each once.
    const consentEvents = [...steps[0].events, ...steps[2].events];
    await t.db.exec(`TRUNCATE offer.acceptances`);
    await t.db.transaction((tx) =>
      offerListProjection.handleBatch!([...consentEvents, ...consentEvents], tx),
    );
    expect(await dump()).toEqual(once);
  });
});
