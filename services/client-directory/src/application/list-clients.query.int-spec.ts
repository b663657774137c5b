import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrate, type SqlClient } from '@dap/eventsourcing';
import { sqlEngines, type TestDatabase } from '@dap/testing';
import { EventFixtures } from '../testing/event-fixtures.js';
import { clientListDdl } from '../projections/client-list.ddl.js';
import { ClientListProjection } from '../projections/client-list.projection.js';
import { listClients } from './list-clients.query.js';
import { indexPattern, searchSample } from './search-window.js';
import { table } from '../projections/client-directory.schema.js';
import { CLIENT_SORTS, type ClientListItem, type ListClientsParams } from './client-list.types.js';

const projection = new ClientListProjection();
const WORDS = [
  'Alpine',
  'Blue',
  'Coho',
  'Delta',
  'Echo',
  'Fourth',
  'Graphic',
  'Humongous',
  'Litware',
  'Margie',
];

async function feed(db: SqlClient, f: EventFixtures, from = 0) {
  for (const e of f.log.slice(from)) await db.transaction((tx) => projection.handle(e, tx));
}

/** Every page of a query, following nextCursor, with `between` run after each page. */
async function allPages(db: SqlClient, params: ListClientsParams, between?: (page: number) => Promise<void>) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await listClients(db, { ...params, cursor });
    ids.push(...result.items.map((i) => i.clientId));
    if (!result.nextCursor) return ids;
    cursor = result.nextCursor;
    await between?.(page);
  }
  throw new Error('too many pages');
}

describe.each(sqlEngines)('client list query on %s', (_label, open) => {
  let t: TestDatabase;
  const f = new EventFixtures();
  beforeAll(async () => {
    t = await open();
    await migrate(t.db, clientListDdl);
    for (let i = 0; i < 60; i++) {
      const word = WORDS[i % WORDS.length];
      f.granted(
        'p1',
        `c${String(i).padStart(3, '0')}`,
        `${word} Trading ${i}`,
        `${word.toLowerCase()}${i}.example.cn`,
      );
    }
    f.granted('p1', 'x-exact', 'Zeta Holdings', 'delta.cn');
    f.granted('p1', 'x-similar', 'Delta.cn Fans', 'fans-of-delta.cn');
    f.granted('p2', 'other', 'Delta Other Partner', 'delta-other.cn');
    for (const [client, cls] of [
      ['c005', 'advisory'],
      ['c010', 'incident'],
      ['c020', 'incident'],
      ['c030', 'advisory'],
    ] as const) {
      f.healthRaised(client, `i-${client}`, cls);
    }
    f.requestCreated('p1', 'c001', 'r1');
    f.requestCreated('p1', 'c001', 'r2');
    f.requestCreated('p1', 'c002', 'r3');
    f.profile('p1', 'c003', 'ClientProfileUpdated', { tags: ['vip', 'gold'], updatedBy: 'u' });
    f.profile('p1', 'c004', 'ClientProfileUpdated', { tags: ['vip'], updatedBy: 'u' });
    // A partner whose clients share all but a number, for searches on the rarest word of a term.
    for (let i = 0; i < 300; i++)
      f.granted('p3', `n${i}`, `Northwind Media ${4000 + i}`, `northwind-media-${4000 + i}.example`);
    // Holds the rarest word of northwind-media-4007.example, not the term: a candidate, not a match.
    f.granted('p3', 'n-annex', 'Northwind Media 4007 Annex', 'northwind-media-4007.annex');
    await feed(t.db, f);
    // Statistics, as autovacuum would gather them, for the searches that read them.
    await t.db.exec(`ANALYZE ${table('client_list')}`);
  });
  afterAll(async () => t.drop());

  it('searches a case-insensitive substring of the name or the domain', async () => {
    const byName = await listClients(t.db, { partnerId: 'p1', search: 'hUMONG', limit: 200 });
    expect(byName.total).toBe(6);
    expect(byName.items.every((i) => i.name.startsWith('Humongous'))).toBe(true);
    const byDomain = await listClients(t.db, { partnerId: 'p1', search: 'margie9.exam', limit: 200 });
    expect(byDomain.items.map((i) => i.primaryDomain)).toEqual(['margie9.example.cn']);
    expect((await listClients(t.db, { partnerId: 'p1', search: '100%_' })).total).toBe(0);
  });

  // Sorted by health, a search reads the ranks of its unhealthy matches only; by requests, every match's
  // activity; otherwise the page's: each must keep the unfiltered order.
  it.each(CLIENT_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((order) => [sort, order] as const)))(
    'searches in sort=%s order=%s in the unfiltered order, across pages',
    async (sort, order) => {
      const all = await listClients(t.db, { partnerId: 'p1', sort, order, limit: 200 });
      const expected = all.items.filter((i) => i.name.includes('Trading')).map((i) => i.clientId);
      const page = await listClients(t.db, { partnerId: 'p1', sort, order, search: 'trading', limit: 200 });
      expect(page.items.map((i) => i.clientId)).toEqual(expected);
      expect(page.items.find((i) => i.clientId === 'c010')?.health.status).toBe('incident');
      expect(await allPages(t.db, { partnerId: 'p1', sort, order, search: 'trading', limit: 7 })).toEqual(
        expected,
      );
    },
  );

  it('finds the same rows when the indexes are asked for the rarest words of a term', async () => {
    const term = 'northwind-media-4007.example';
    expect(indexPattern(term, await searchSample(t.db))).not.toBeNull();
    const searches = [term, 'Northwind Media 4012', 'media 40', '4007.exam', 'a-40', 'margie9.example.cn'];
    for (const partnerId of ['p1', 'p3']) {
      const all: ClientListItem[] = [];
      for (let cursor: string | null | undefined; cursor !== null; ) {
        const page = await listClients(t.db, { partnerId, limit: 200, cursor });
        all.push(...page.items);
        cursor = page.nextCursor;
      }
      for (const search of [...searches, 'trading 3', 'xyz-4007', '100%_']) {
        const needle = search.toLowerCase();
        const expected = all
          .filter((i) => i.name.toLowerCase().includes(needle) || i.primaryDomain.includes(needle))
          .map((i) => i.clientId);
        const found = await listClients(t.db, { partnerId, search, limit: 200 });
        expect([search, found.total, found.items.map((i) => i.clientId).sort()]).toEqual([
          search,
          expected.length,
          expected.sort(),
        ]);
      }
    }
  });

  it('puts an exact domain match first, then the rest in sort order, across pages', async () => {
    const first = await listClients(t.db, { partnerId: 'p1', search: 'DELTA.cn', limit: 1 });
    expect(first.items.map((i) => i.clientId)).toEqual(['x-exact']);
    expect(first.total).toBe(2);
    const ids = await allPages(t.db, { partnerId: 'p1', search: 'delta.cn', limit: 1 });
    expect(ids).toEqual(['x-exact', 'x-similar']);
    const wide = await listClients(t.db, { partnerId: 'p1', search: 'delta', sort: 'name', limit: 200 });
    expect(wide.items[0].clientId).not.toBe('x-exact'); // "delta" is no domain: no exact match, plain name order
    expect(wide.items.some((i) => i.clientId === 'other')).toBe(false);
  });

  it('sorts by health: incidents, then advisories, then healthy, ties by name', async () => {
    const page = await listClients(t.db, { partnerId: 'p1', sort: 'health', limit: 5 });
    expect(page.items.map((i) => [i.clientId, i.health.status])).toEqual([
      ['c010', 'incident'], // "Alpine Trading 10" < "Alpine Trading 20"
      ['c020', 'incident'],
      ['c030', 'advisory'], // "Alpine Trading 30" < "Fourth Trading 5"
      ['c005', 'advisory'],
      ['c000', 'healthy'], // "Alpine Trading 0"
    ]);
    const desc = await listClients(t.db, { partnerId: 'p1', sort: 'health', order: 'desc', limit: 200 });
    expect(desc.items.slice(-2).map((i) => i.health.status)).toEqual(['incident', 'incident']);
  });

  it('filters by health and by tag', async () => {
    expect(
      (await listClients(t.db, { partnerId: 'p1', health: 'incident' })).items.map((i) => i.clientId),
    ).toEqual(['c010', 'c020']);
    expect((await listClients(t.db, { partnerId: 'p1', health: 'advisory' })).total).toBe(2);
    expect((await listClients(t.db, { partnerId: 'p1', health: 'healthy' })).total).toBe(58);
    const vip = await listClients(t.db, { partnerId: 'p1', tag: 'vip' });
    expect(vip.items.map((i) => [i.clientId, i.tags])).toEqual([
      ['c003', ['vip', 'gold']],
      ['c004', ['vip']],
    ]);
    const healthyVip = await listClients(t.db, { partnerId: 'p1', tag: 'vip', health: 'healthy' });
    expect([healthyVip.total, healthyVip.items.length]).toEqual([2, 2]);
    expect((await listClients(t.db, { partnerId: 'p1', tag: 'vip', health: 'incident' })).total).toBe(0);
  });

  it.each(CLIENT_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((order) => [sort, order] as const)))(
    'pages through sort=%s order=%s exactly as one big page',
    async (sort, order) => {
      const whole = await listClients(t.db, { partnerId: 'p1', sort, order, limit: 200 });
      expect(whole.total).toBe(62);
      expect(await allPages(t.db, { partnerId: 'p1', sort, order, limit: 7 })).toEqual(
        whole.items.map((i) => i.clientId),
      );
    },
  );

  // A small class (incident, advisory) is sorted from the activity's health index, a large one (healthy)
  // read by walking the sort's index: both must list what the unfiltered list holds, in its order.
  it.each(
    CLIENT_SORTS.flatMap((sort) =>
      (['incident', 'advisory', 'healthy'] as const).map((health) => [sort, health] as const),
    ),
  )('filters sort=%s by health=%s in the unfiltered order, across pages', async (sort, health) => {
    const all = await listClients(t.db, { partnerId: 'p1', sort, limit: 200 });
    const expected = all.items.filter((i) => i.health.status === health).map((i) => i.clientId);
    const page = await listClients(t.db, { partnerId: 'p1', sort, health, limit: 200 });
    expect(page.items.map((i) => i.clientId)).toEqual(expected);
    expect(page.total).toBe(expected.length);
    expect(await allPages(t.db, { partnerId: 'p1', sort, health, limit: 1 })).toEqual(expected);
  });

  it('sorts by open service requests', async () => {
    const desc = await listClients(t.db, {
      partnerId: 'p1',
      sort: 'serviceRequests',
      order: 'desc',
      limit: 2,
    });
    expect(desc.items.map((i) => [i.clientId, i.openServiceRequests])).toEqual([
      ['c001', 2],
      ['c002', 1],
    ]);
  });

  it('refuses a cursor made for another sort, a malformed one, and a bad limit', async () => {
    const { nextCursor } = await listClients(t.db, { partnerId: 'p1', sort: 'name', limit: 2 });
    await expect(
      listClients(t.db, { partnerId: 'p1', sort: 'health', cursor: nextCursor! }),
    ).rejects.toMatchObject({ kind: 'invalid' });
    await expect(listClients(t.db, { partnerId: 'p1', cursor: 'not-a-cursor' })).rejects.toMatchObject({
      kind: 'invalid',
    });
    await expect(listClients(t.db, { partnerId: 'p1', limit: 201 })).rejects.toMatchObject({
      kind: 'invalid',
    });
  });

  it('skips and repeats no unchanged row while rows change between pages', async () => {
    const before = await listClients(t.db, { partnerId: 'p1', sort: 'health', limit: 200 });
    const changed = new Set<string>();
    let n = 0;
    const mutate = async () => {
      const from = f.log.length;
      // A new client, a health incident on a healthy one, a revocation: rows move, appear and leave.
      f.granted('p1', `new-${n}`, `Alpine New ${n}`, `new${n}.example.cn`);
      changed.add(`new-${n}`);
      const victim = `c0${40 + n}`;
      f.healthRaised(victim, `late-${n}`, 'incident');
      changed.add(victim);
      n += 1;
      await feed(t.db, f, from);
    };
    const seen = await allPages(t.db, { partnerId: 'p1', sort: 'health', limit: 5 }, mutate);
    const unchanged = before.items.map((i) => i.clientId).filter((id) => !changed.has(id));
    const seenUnchanged = seen.filter((id) => !changed.has(id));
    expect(seenUnchanged).toEqual(unchanged);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
