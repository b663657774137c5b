import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError } from '@dap/eventsourcing';
import type { Principal } from '@dap/platform';
import { sqlEngines, type TestDatabase } from '@dap/testing';
import { checkAccess } from '../domain/access-check.js';
import { readAccessFacts } from '../projections/access-facts.js';
import { migrateServiceRequestTables } from '../projections/service-request-tables.js';
import { ServiceRequestQueries } from './service-request-queries.js';

const NOW = new Date('2026-11-21T10:00:00.000Z');
const clock = { now: () => new Date(NOW) };

/** Delegation rows per client of partner p1: [status, grantedRoles, expiresAt], oldest first. */
const DELEGATIONS: Record<string, [string, string[], string | null][]> = {
  'c-both': [['active', ['full', 'limited'], null]],
  'c-limited': [['active', ['limited'], null]],
  'c-full': [['active', ['full'], null]],
  'c-nothing-granted': [['active', [], null]],
  'c-past-expiry': [['active', ['full', 'limited'], '2026-11-21T09:59:59.000Z']],
  'c-future-expiry': [['active', ['limited'], '2026-11-21T10:00:01.000Z']],
  'c-revoked': [['revoked', ['full', 'limited'], null]],
  'c-expired': [['expired', ['full', 'limited'], '2026-11-20T00:00:00.000Z']],
  'c-granted-again': [
    ['revoked', ['full'], null],
    ['active', ['limited'], null],
  ],
  'c-revoked-after-expired': [
    ['expired', ['limited'], null],
    ['revoked', ['full'], null],
  ],
  'c-none': [],
};
const CLIENTS = Object.keys(DELEGATIONS);
const USERS = ['u-full', 'u-limited', 'u-role-revoked', 'u-never-assigned'];

describe.each(sqlEngines)('who reads which service requests, on %s', (_engine, open) => {
  let t: TestDatabase;
  let queries: ServiceRequestQueries;
  const ids: Record<string, string[]> = {};
  const partnerUser = (sub: string, roles = ['partner.agent']): Principal =>
    ({ sub, tid: 'p1', roles }) as Principal;

  beforeAll(async () => {
    t = await open();
    await migrateServiceRequestTables(t.db);
    let position = 0;
    for (const [client, rows] of Object.entries(DELEGATIONS)) {
      for (const [i, [status, granted, expiresAt]] of rows.entries()) {
        await t.db.query(
          `INSERT INTO "service-request".delegations (delegation_id, partner_id, client_id, status, granted_roles, expires_at, position)
           VALUES ($1, 'p1', $2, $3, $4, $5, $6)`,
          [`${client}-${i}`, client, status, JSON.stringify(granted), expiresAt, ++position],
        );
      }
    }
    // Another partner's delegation from a client p1 also serves, and its requests.
    await t.db.query(
      `INSERT INTO "service-request".delegations (delegation_id, partner_id, client_id, status, granted_roles, position)
       VALUES ('p2-c-both', 'p2', 'c-both', 'active', '["full","limited"]', $1)`,
      [++position],
    );
    for (const [user, role] of [
      ['u-full', 'full'],
      ['u-limited', 'limited'],
      ['u-role-revoked', null],
    ]) {
      await t.db.query(
        `INSERT INTO "service-request".partner_roles (partner_id, user_id, role, position) VALUES ('p1', $1, $2, $3)`,
        [user, role, ++position],
      );
    }
    for (const [partner, client] of [...CLIENTS.map((c) => ['p1', c]), ['p2', 'c-both']]) {
      for (let n = 0; n < 2; n++) {
        const id = `${partner}-${client}-${n}`;
        (ids[`${partner}/${client}`] ??= []).push(id);
        await t.db.query(
          `INSERT INTO "service-request".requests (request_id, partner_id, client_id, title, description, severity, contact,
             status, created_by, created_at, updated_at, stream_version, created_position)
           VALUES ($1, $2, $3, 'Title', 'Description', 'moderate', '{"name":"A","email":"a@x.example"}', 'open', 'u', $4, $4, 1, $5)`,
          [id, partner, client, NOW.toISOString(), ++position],
        );
      }
    }
    queries = new ServiceRequestQueries(t.db, clock);
  });
  afterAll(async () => t.drop());

  /** Every page of the principal's list, three at a time. */
  const listAll = async (principal: Principal, clientId?: string) => {
    const seen: { id: string; clientId: string; partnerId: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await queries.list(principal, { limit: 3, cursor, clientId });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return seen;
  };
  const readable = async (user: string) => {
    const allowed: string[] = [];
    for (const client of CLIENTS) {
      const facts = await readAccessFacts(t.db, 'p1', user, client);
      if (checkAccess({ action: 'serviceRequests.read', ...facts, now: NOW }).allowed) allowed.push(client);
    }
    return allowed;
  };

  it.each(USERS)(
    "filters %s's list in SQL to exactly the clients the shared rule lets it read",
    async (user) => {
      const expected = await readable(user);
      const listed = await listAll(partnerUser(user));
      expect([...new Set(listed.map((r) => r.clientId))].sort()).toEqual([...expected].sort());
      expect(listed.every((r) => r.partnerId === 'p1')).toBe(true);
      expect(listed).toHaveLength(expected.length * 2);
    },
  );

  it('reads the rule right: which clients a full and a limited agent may read', async () => {
    const both = ['c-both', 'c-limited', 'c-full', 'c-future-expiry', 'c-granted-again'];
    expect((await readable('u-full')).sort()).toEqual(both.sort());
    expect((await readable('u-limited')).sort()).toEqual(both.sort());
    expect(await readable('u-role-revoked')).toEqual([]);
  });

  it.each(USERS)('answers %s one request, or 403 with the reason the rule gives', async (user) => {
    for (const client of CLIENTS) {
      const facts = await readAccessFacts(t.db, 'p1', user, client);
      const decision = checkAccess({ action: 'serviceRequests.read', ...facts, now: NOW });
      const attempt = queries.get(partnerUser(user), ids[`p1/${client}`][0]);
      if (decision.allowed) await expect(attempt).resolves.toMatchObject({ view: { clientId: client } });
      else
        await expect(attempt).rejects.toMatchObject({
          kind: 'forbidden',
          details: { reason: decision.reason },
        });
      // Naming the client in the list filter is the same delegated action.
      const filtered = listAll(partnerUser(user), client);
      if (decision.allowed)
        expect((await filtered).map((r) => r.id).sort()).toEqual([...ids[`p1/${client}`]].sort());
      else await expect(filtered).rejects.toBeInstanceOf(DomainError);
    }
  });

  it("lets a partner admin read all of its partner's requests, and a client admin its organization's", async () => {
    const admin = await listAll(partnerUser('boss', ['partner.admin']));
    expect(admin).toHaveLength(CLIENTS.length * 2);
    expect(admin.every((r) => r.partnerId === 'p1')).toBe(true);
    const client = await listAll({
      sub: 'admin@c-both',
      tid: 'c-both',
      roles: ['client.admin'],
    } as Principal);
    expect(client.map((r) => r.id).sort()).toEqual([...ids['p1/c-both'], ...ids['p2/c-both']].sort());
  });

  it("answers 404 for another partner's request, whoever asks", async () => {
    for (const principal of [partnerUser('u-full'), partnerUser('boss', ['partner.admin'])])
      await expect(queries.get(principal, ids['p2/c-both'][0])).rejects.toMatchObject({ kind: 'not-found' });
  });
});
