import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@dap/contracts';
import { literal, migrate, type SqlExecutor } from '@dap/eventsourcing';
import { sqlEngines, type TestDatabase } from '@dap/testing';
import { EventFixtures } from '../testing/event-fixtures.js';
import { listClients } from '../application/list-clients.query.js';
import { table } from './client-directory.schema.js';
import { CLIENT_LIST_TABLES, clientListDdl } from './client-list.ddl.js';
import { ClientListProjection } from './client-list.projection.js';

const projection = new ClientListProjection();

/** A day in the life of two partners: grants, a revocation, an expiry, health, requests, profile edits. */
function scenario(): EventEnvelope[] {
  const f = new EventFixtures();
  const a = f.granted('p1', 'c1', 'Contoso', 'contoso.cn');
  f.granted('p1', 'c2', 'Fabrikam', 'fabrikam.cn');
  const c3 = f.granted('p1', 'c3', 'Northwind', 'northwind.cn');
  f.granted('p2', 'c1', 'Contoso Ltd', 'contoso.cn');
  f.healthRaised('c1', 'i1', 'incident');
  f.healthRaised('c2', 'i2', 'advisory');
  f.healthRaised('c1', 'i3', 'advisory');
  f.healthResolved('c1', 'i1');
  f.requestCreated('p1', 'c1', 'r1');
  f.requestCreated('p1', 'c1', 'r2');
  f.requestStatus('r1', 'open', 'attentionNeeded');
  f.requestStatus('r2', 'open', 'closed');
  f.profile('p1', 'c1', 'ClientProfileUpdated', { name: 'Contoso Group', tags: ['vip'], updatedBy: 'u' });
  const sub = { subscriptionId: 's1', productId: 'E3', name: 'Office 365 E3', quantity: 5, status: 'active' };
  f.profile('p1', 'c2', 'SubscriptionAdded', sub);
  f.profile('p1', 'c2', 'SubscriptionRemoved', sub);
  f.profile('p1', 'c2', 'SubscriptionAdded', { ...sub, quantity: 7 });
  f.revoked(c3);
  f.expired(f.granted('p1', 'c4', 'Tailspin', 'tailspin.cn'));
  f.revoked(a);
  f.granted('p1', 'c1', 'Contoso Again', 'contoso.cn');
  // A profile event for a client whose delegation the list has not seen yet (another source, another pace).
  f.profile('p1', 'c5', 'ClientProfileUpdated', { tags: ['early'], updatedBy: 'u' });
  f.granted('p1', 'c5', 'Wide World', 'wideworld.cn');
  return f.log;
}

async function apply(db: TestDatabase['db'], events: EventEnvelope[]) {
  for (const e of events) await db.transaction((tx) => projection.handle(e, tx));
}

async function dump(db: TestDatabase['db']) {
  const out: Record<string, unknown[]> = {};
  for (const t of CLIENT_LIST_TABLES) out[t] = await db.query(`SELECT * FROM ${table(t)} ORDER BY 1, 2, 3`);
  return out;
}

async function clear(db: TestDatabase['db']) {
  for (const t of CLIENT_LIST_TABLES) await db.exec(`TRUNCATE ${table(t)}`);
}

describe.each(sqlEngines)('client list projection on %s', (_label, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
    await migrate(t.db, clientListDdl);
  });
  afterAll(async () => t.drop());

  it('keeps the GIN pending lists short, also on indexes made before the limit', async () => {
    const limits = () =>
      t.db.query<{ relname: string; reloptions: string[] | null }>(
        `SELECT c.relname, c.reloptions FROM pg_class c JOIN pg_am a ON a.oid = c.relam
          WHERE a.amname = 'gin' AND c.relnamespace = '"client-directory"'::regnamespace ORDER BY 1`,
      );
    const expected = ['client_list_domain_trgm', 'client_list_name_trgm', 'client_list_tags'].map(
      (relname) => ({
        relname,
        reloptions: ['gin_pending_list_limit=256'],
      }),
    );
    expect(await limits()).toEqual(expected);
    await t.db.exec(`ALTER INDEX "client-directory".client_list_tags RESET (gin_pending_list_limit)`);
    await migrate(t.db, clientListDdl);
    expect(await limits()).toEqual(expected);
  });

  it('applies one source at a time: its counts are recomputed from rows other sources write', () => {
    // IdempotentConsumer takes the lock for such a consumer (idempotent-consumer.int-spec.ts).
    expect(projection.oneAtATime).toBe(true);
    expect(projection.sources.length).toBeGreaterThan(1);
  });

  it('ends identical when fed every event twice (in a row, or the whole log again)', async () => {
    const events = scenario();
    await clear(t.db);
    await apply(t.db, events);
    const once = await dump(t.db);
    await clear(t.db);
    await apply(
      t.db,
      events.flatMap((e) => [e, e]),
    );
    expect(await dump(t.db)).toEqual(once);
    await clear(t.db);
    await apply(t.db, [...events, ...events]);
    expect(await dump(t.db)).toEqual(once);
    expect(once.client_list.length).toBeGreaterThan(0);
  });

  it('finds the rows a small batch changes by key, not by reading whole tables of a few thousand rows', async () => {
    // Estimated at jsonb_to_recordset's hundred rows, a batch of a few was hash-joined against every row of
    // a table of up to about 30,000 (5 ms a batch of status changes on 20,000 requests instead of 0.2).
    await clear(t.db);
    const f = new EventFixtures();
    const grant = f.granted('p1', 'c1', 'Contoso', 'contoso.cn');
    f.requestCreated('p1', 'c1', 'r1');
    await apply(t.db, f.log);
    await t.db.exec(`
      INSERT INTO ${table('client_list')} (partner_id, client_id, delegation_id, delegation_status, granted_roles,
             granted_at, expires_sort, snapshot_name, name, sort_name, primary_domain, sort_domain)
        SELECT 'p2', 'c' || i, 'd' || i, 'active', '{}', now(), 'infinity', 'n', 'n', 'n', 'd.cn', 'd.cn'
          FROM generate_series(1, 5000) i;
      INSERT INTO ${table('client_activity')} (partner_id, client_id, active, sort_name)
        SELECT 'p2', 'c' || i, true, 'n' FROM generate_series(1, 5000) i;
      INSERT INTO ${table('client_profiles')} (partner_id, client_id, name, version, position)
        SELECT 'p2', 'c' || i, 'n', 1, 1 FROM generate_series(1, 5000) i;
      INSERT INTO ${table('service_requests')} (request_id, partner_id, client_id, title, severity, status,
             created_at, updated_at, position)
        SELECT 'q' || i, 'p2', 'c' || i, 't', 'moderate', 'open', now(), now(), 1 FROM generate_series(1, 5000) i;
      ANALYZE ${table('client_list')}; ANALYZE ${table('client_activity')}; ANALYZE ${table('client_profiles')};
      ANALYZE ${table('service_requests')};`);
    const batches = [
      [f.requestCreated('p1', 'c1', 'r2'), f.requestCreated('p1', 'c1', 'r3')],
      [f.requestStatus('r1', 'open', 'closed')],
      [f.revoked(grant)],
      [f.granted('p1', 'c2', 'Fabrikam', 'fabrikam.cn')],
    ];
    const wholeTables: string[] = [];
    const planNodes = (node: any): any[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];
    for (const batch of batches)
      await t.db.transaction(async (tx) => {
        // Each statement is explained, then run, in the transaction the projection runs it in.
        const explaining: SqlExecutor = {
          query: async (text, params) => {
            const sql = typeof text === 'string' ? text : text.text;
            const [{ 'QUERY PLAN': plan }] = await tx.query<{ 'QUERY PLAN': any }>(
              `EXPLAIN (FORMAT JSON) ${sql}`,
              params,
            );
            for (const node of planNodes(plan[0].Plan))
              if (node['Node Type'] === 'Seq Scan' && CLIENT_LIST_TABLES.includes(node['Relation Name']))
                wholeTables.push(`${batch[0].type}: ${node['Relation Name']}`);
            return tx.query(text, params);
          },
          exec: (sql) => tx.exec(sql),
        };
        await projection.handleBatch(batch, explaining);
      });
    expect(wholeTables).toEqual([]);
    const [row] = await t.db.query<{ open_service_requests: number; delegation_status: string }>(
      `SELECT a.open_service_requests, l.delegation_status FROM ${table('client_activity')} a
         JOIN ${table('client_list')} l USING (partner_id, client_id) WHERE partner_id = 'p1' AND client_id = 'c1'`,
    );
    expect(row).toEqual({ open_service_requests: 2, delegation_status: 'revoked' });
  });

  it("counts a batch's new requests beside those already there, once each", async () => {
    const f = new EventFixtures();
    f.granted('p1', 'c1', 'Contoso', 'contoso.cn');
    for (const r of ['r1', 'r2', 'r3']) f.requestCreated('p1', 'c1', r);
    const [grant, r1, r2, r3] = f.log;
    await clear(t.db);
    await apply(t.db, [grant, r1, r2, r3]);
    const oneByOne = await dump(t.db);
    await clear(t.db);
    await apply(t.db, [grant]);
    await t.db.transaction((tx) => projection.handleBatch([r1, r2], tx));
    // r2 again (a redelivery) beside a new one.
    await t.db.transaction((tx) => projection.handleBatch([r2, r3], tx));
    expect(await dump(t.db)).toEqual(oneByOne);
    const [row] = await t.db.query<{ open_service_requests: number }>(
      `SELECT open_service_requests FROM ${table('client_activity')} WHERE partner_id = 'p1' AND client_id = 'c1'`,
    );
    expect(row.open_service_requests).toBe(3);
  });

  it('moves the counts of a list made when the wide row held them beside it, once', async () => {
    await clear(t.db);
    await apply(t.db, scenario());
    const before = await dump(t.db);
    const page = await listClients(t.db, { partnerId: 'p1', sort: 'health' });
    // The shape before client_activity: the counts on client_list, with their sort indexes and the
    // counting triggers there.
    await t.db.exec(`
      ALTER TABLE ${table('client_list')} ADD COLUMN health_rank smallint NOT NULL DEFAULT 2,
        ADD COLUMN active_incidents integer NOT NULL DEFAULT 0, ADD COLUMN active_advisories integer NOT NULL DEFAULT 0,
        ADD COLUMN open_service_requests integer NOT NULL DEFAULT 0;
      UPDATE ${table('client_list')} l SET health_rank = a.health_rank, active_incidents = a.active_incidents,
             active_advisories = a.active_advisories, open_service_requests = a.open_service_requests
        FROM ${table('client_activity')} a WHERE a.partner_id = l.partner_id AND a.client_id = l.client_id;
      CREATE INDEX client_list_by_health ON ${table('client_list')} (partner_id, health_rank, sort_name, client_id);
      CREATE INDEX client_list_client ON ${table('client_list')} (client_id);
      CREATE TRIGGER client_list_counting_update AFTER UPDATE ON ${table('client_list')}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table('count_client_list')}();
      DROP TABLE ${table('client_activity')};`);
    await migrate(t.db, clientListDdl);
    await migrate(t.db, clientListDdl);
    expect(await dump(t.db)).toEqual(before);
    expect(await listClients(t.db, { partnerId: 'p1', sort: 'health' })).toEqual(page);
    const leftOver = await t.db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'client-directory'
          AND table_name = 'client_list' AND column_name IN ('health_rank', 'open_service_requests')
       UNION ALL SELECT tgname::text FROM pg_trigger WHERE tgrelid = ${literal(table('client_list'))}::regclass AND NOT tgisinternal`,
    );
    expect(leftOver).toEqual([]);
  });

  it('lists only active delegations, with health, open requests, profile and tags', async () => {
    await clear(t.db);
    await apply(t.db, scenario());
    const p1 = await listClients(t.db, { partnerId: 'p1', sort: 'name' });
    expect(p1.total).toBe(3);
    expect(p1.items.map((i) => [i.clientId, i.name, i.health.status, i.openServiceRequests, i.tags])).toEqual(
      [
        ['c1', 'Contoso Group', 'advisory', 1, ['vip']],
        ['c2', 'Fabrikam', 'advisory', 0, []],
        ['c5', 'Wide World', 'healthy', 0, ['early']],
      ],
    );
    expect(p1.items[0].health).toEqual({ status: 'advisory', activeIncidents: 0, activeAdvisories: 1 });
    const p2 = await listClients(t.db, { partnerId: 'p2' });
    expect(p2.items.map((i) => [i.clientId, i.name, i.openServiceRequests])).toEqual([
      ['c1', 'Contoso Ltd', 0],
    ]);
    const [sub] = await t.db.query(
      `SELECT quantity, removed FROM ${table('client_subscriptions')} WHERE client_id = 'c2'`,
    );
    expect(sub).toEqual({ quantity: 7, removed: false });
  });
});
