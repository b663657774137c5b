import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqlEventStore, type EventStore, type SqlClient } from '@dap/eventsourcing';
import type { EventEnvelope } from '@dap/contracts';
import { createTestDatabase, type TestDatabase } from '@dap/testing';
import { loadConfig } from '@dap/platform';
import { hashLinkCode } from '../application/link-code.js';
import { OfferLinks } from '../application/offer-links.service.js';
import { Delegations } from '../application/delegations.service.js';
import { PartnerUsers } from '../application/partner-users.service.js';
import { AcceptanceRateLimiter } from '../application/rate-limiter.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { main as auditTool } from '../cli/audit.js';
import { Writable } from 'node:stream';
import { auditChainProjection } from './audit-chain.projection.js';
import { migrateConsentTables } from './consent-tables.js';
import { delegationListProjection } from './delegation-list.projection.js';
import { offerTermsProjection } from './offer-terms.projection.js';
import { partnerUsersProjection } from './partner-users.projection.js';

const consumers = [
  offerTermsProjection,
  delegationListProjection,
  partnerUsersProjection,
  auditChainProjection,
];
const TABLES = ['offers', 'delegations', 'partner_users', 'audit_chain'];
const partner = { sub: 'admin@p1.example', tid: 'p1', roles: ['partner.admin'] };
const clientA = { sub: 'admin@a.example', tid: 'tenant-a', roles: ['client.admin'] };
const clientB = { sub: 'admin@b.example', tid: 'tenant-b', roles: ['client.admin'] };
const description = {
  name: 'Alpha',
  primaryDomain: 'a.example',
  address: { line1: '1 Road', city: 'Shanghai', postalCode: '200000', country: 'CN' },
};

describe('consent read tables on PostgreSQL', () => {
  let tdb: TestDatabase;
  let db: SqlClient;
  let offers: EventStore;
  let consent: EventStore;
  let current = new Date('2026-11-21T10:00:00.000Z');
  const clock = { now: () => current };

  /** Everything both stores hold, in each store's order. */
  const allEvents = async () => [
    ...(await offers.readAll(0, 10_000)).map((e) => ({ source: 'offer', e })),
    ...(await consent.readAll(0, 10_000)).map((e) => ({ source: 'consent', e })),
  ];
  const feed = async (events: { source: string; e: EventEnvelope }[], times: number) => {
    for (const { source, e } of events) {
      for (let n = 0; n < times; n++) {
        for (const c of consumers) {
          if (c.sources.includes(source) && (!c.types || c.types.includes(e.type)))
            await db.transaction((tx) => c.handle(e, tx));
        }
      }
    }
  };
  const dump = async () => {
    const out: Record<string, unknown[]> = {};
    for (const t of TABLES) out[t] = await db.query(`SELECT * FROM consent.${t} ORDER BY 1, 2`);
    return out;
  };
  const truncate = () => db.exec(TABLES.map((t) => `TRUNCATE consent.${t};`).join(''));

  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = tdb.db;
    offers = await new SqlEventStore(db, 'offer').migrate();
    consent = await new SqlEventStore(db, 'consent').migrate();
    await migrateConsentTables(db);
    // A story: an offer, rotated; two clients accept; roles assigned and changed; one revocation; a re-acceptance.
    const offerMeta = { actor: { id: 'admin@p1.example', tenantId: 'p1' }, partnerId: 'p1' };
    await offers.appendToStream(
      'offer-o1',
      [
        {
          type: 'OfferCreated',
          data: {
            offerId: 'o1',
            partnerId: 'p1',
            includes: {},
            grantedRoles: ['full', 'limited'],
            delegationDuration: 'P90D',
            autoExtend: false,
            expiresAt: null,
            codeHash: hashLinkCode('old'),
          },
        },
        { type: 'OfferLinkRotated', data: { offerId: 'o1', codeHash: hashLinkCode('code-1') } },
      ],
      0,
      offerMeta,
    );
    await feed(await allEvents(), 1);
    const links = new OfferLinks(
      consent,
      db,
      clock,
      new AcceptanceRateLimiter(db, loadConfig({}).offerLinkLimits),
    );
    const delegations = new Delegations(consent, db, clock);
    const users = new PartnerUsers(consent, db, clock);
    const a = await links.accept('o1', 'code-1', description, clientA);
    await links.accept('o1', 'code-1', { ...description, name: 'Beta' }, clientB);
    await users.setRole('alice@p1.example', 'full', partner);
    await users.setRole('bob@p1.example', 'limited', partner);
    current = new Date('2026-11-22T10:00:00.000Z');
    await users.setRole('bob@p1.example', 'full', partner);
    await delegations.revoke(a.delegation.delegationId, clientA, { reason: 'test' });
    await truncate();
  });
  afterAll(async () => tdb?.drop());

  it('ends identical whether each event is applied once or twice, or the whole log twice', async () => {
    const events = await allEvents();
    await feed(events, 1);
    const once = await dump();
    expect(once.delegations).toHaveLength(2);
    expect(once.audit_chain.length).toBeGreaterThanOrEqual(6);
    await truncate();
    await feed(events, 2);
    expect(await dump()).toEqual(once);
    await feed(events, 1); // the whole log again, after the fact
    expect(await dump()).toEqual(once);
  });

  it('keeps the rotated code hash, the revocation and the latest role', async () => {
    const [offer] = await db.query(`SELECT code_hash FROM consent.offers WHERE offer_id = 'o1'`);
    expect(offer.code_hash).toBe(hashLinkCode('code-1'));
    const rows = await db.query(
      `SELECT client_id, status, end_side FROM consent.delegations ORDER BY client_id`,
    );
    expect(rows).toEqual([
      { client_id: 'tenant-a', status: 'revoked', end_side: 'client' },
      { client_id: 'tenant-b', status: 'active', end_side: null },
    ]);
    const users = await db.query(`SELECT user_id, role FROM consent.partner_users ORDER BY user_id`);
    expect(users).toEqual([
      { user_id: 'alice@p1.example', role: 'full' },
      { user_id: 'bob@p1.example', role: 'full' },
    ]);
  });

  it('replays the trail with the command-line tool against DATABASE_URL, filtered, as NDJSON and CSV', async () => {
    const capture = () =>
      Object.assign(
        new Writable({
          write(chunk, _e, done) {
            (this as any).text += chunk.toString();
            done();
          },
        }),
        { text: '' },
      );
    const env = { DATABASE_URL: tdb.url };
    await feed(await allEvents(), 1);
    const all = capture();
    expect(await auditTool(['replay'], { out: all, env })).toBe(0);
    const lines = all.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const api = await new AuditTrail(consent, db).accessEvents({ partnerId: null }, { limit: 200 });
    expect(lines).toEqual(api.items);
    const forA = capture();
    expect(await auditTool(['replay', '--client', 'tenant-a', '--format', 'csv'], { out: forA, env })).toBe(
      0,
    );
    const rows = forA.text.trim().split('\n');
    expect(rows[0]).toBe('position,id,type,time,subject,partnerId,clientId,userId,actor,hash,data');
    expect(rows.slice(1).map((r) => r.split(',')[2])).toEqual(['DelegationGranted', 'DelegationRevoked']);
    const later = capture();
    expect(await auditTool(['replay', '--from', '2026-11-22T00:00:00Z'], { out: later, env })).toBe(0);
    expect(
      later.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['RoleAssigned', 'DelegationRevoked']);
    const err = capture();
    expect(await auditTool(['replay', '--from', 'yesterday'], { err, env })).toBe(64);
  });

  it('verifies the chain, and names the first record edited or deleted in the store', async () => {
    const trail = new AuditTrail(consent, db);
    const clean = await trail.verify();
    expect(clean).toEqual({ ok: true, checked: clean.checked });
    expect(clean.checked).toBeGreaterThanOrEqual(6);
    const [victim] = await db.query<{ global_position: number }>(
      `SELECT global_position FROM consent.events WHERE type = 'RoleAssigned' ORDER BY global_position LIMIT 1`,
    );
    await db.query(
      `UPDATE consent.events SET data = jsonb_set(data, '{role}', '"limited"') WHERE global_position = $1`,
      [victim.global_position],
    );
    expect(await trail.verify()).toMatchObject({ ok: false, firstBrokenPosition: victim.global_position });
    const out = Object.assign(
      new Writable({
        write(chunk, _e, done) {
          (this as any).text += chunk.toString();
          done();
        },
      }),
      { text: '' },
    );
    expect(await auditTool(['verify'], { out, env: { DATABASE_URL: tdb.url } })).toBe(2);
    expect(JSON.parse(out.text)).toMatchObject({ ok: false, firstBrokenPosition: victim.global_position });
    const [last] = await db.query<{ p: number }>(`SELECT max(global_position) AS p FROM consent.events`);
    await db.query(
      `UPDATE consent.events SET data = jsonb_set(data, '{role}', '"full"') WHERE global_position = $1`,
      [victim.global_position],
    );
    expect((await trail.verify()).ok).toBe(true);
    await db.query(`DELETE FROM consent.events WHERE global_position = $1`, [last.p]);
    expect(await trail.verify()).toMatchObject({ ok: false, firstBrokenPosition: last.p });
  });
});
