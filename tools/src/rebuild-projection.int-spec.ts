import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { ident, SqlEventStore, type SqlClient } from '@dap/eventsourcing';
import {
  ConsumerProgress,
  IdempotentConsumer,
  StoreLogEventSource,
  type EventConsumer,
} from '@dap/messaging';
import type { ConsumerHost } from '@dap/platform';
import { createTestDatabase, type TestDatabase } from '@dap/testing';
import { ClientDirectoryModule } from '@dap/client-directory';
import { ConsentModule } from '@dap/consent';
import { HealthModule } from '@dap/health';
import { OfferModule } from '@dap/offer';
import { ServiceRequestModule } from '@dap/service-request';
import { notRebuildable, projections } from './projection-registry.js';
import { rebuildProjection, type RebuildableProjection } from './projection-rebuild.js';
import { main } from './rebuild-projection.js';
import { appendStory, STORES } from './rebuild-projection.story.js';
import { withoutZeroCounters } from './read-table-equivalence.js';

const names = Object.keys(projections);
/** `schema.table` names of a projection's tables. */
const tablesOf = (p: RebuildableProjection) => p.tables.map((table) => `${p.schema}.${table}`);
/** Tables in the services' schemas that are not read models: stores, consumer bookkeeping, scheduler, audit chain. */
const NOT_READ_MODELS = ['events', 'checkpoints', 'inbox', 'dead_letters'];
/** Tables no event feeds: the audit chain, the scheduler's bookkeeping, the offer-link attempt counts. */
const NOT_READ_MODELS_IN = [
  'consent.audit_chain',
  'consent.expiry_notices',
  'consent.scheduler_checkpoints',
  'consent.link_attempts',
];

/** What each service module registers with its ConsumerHost (and creates its tables, as at start-up). */
async function registeredConsumers(db: SqlClient) {
  const registered: { schema: string; consumer: EventConsumer }[] = [];
  const host = {
    register: (schema: string, consumer: EventConsumer) => registered.push({ schema, consumer }),
  };
  const consumers = host as unknown as ConsumerHost;
  const stores = { get: (name: string) => new SqlEventStore(db, name) };
  const none = {} as never;
  await new OfferModule(db, consumers, none, none).onModuleInit();
  await new ConsentModule(db, consumers, none, none, none).onModuleInit();
  await new HealthModule(db, consumers).onModuleInit();
  await new ServiceRequestModule(db, consumers).onModuleInit();
  await new ClientDirectoryModule(db, consumers, stores as never).onModuleInit();
  return registered;
}

const capture = () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
};

describe('rebuild-projection on PostgreSQL', () => {
  let t: TestDatabase;
  let registered: { schema: string; consumer: EventConsumer }[];
  const loaded: Record<string, RebuildableProjection> = {};
  const storeOf = (name: string) => new SqlEventStore(t.db, name);

  /** Every table of every rebuildable projection, rows in a total order. */
  const dumpAll = async () => {
    const out: Record<string, unknown[]> = {};
    for (const { schema, tables } of Object.values(loaded))
      for (const table of tables)
        out[`${schema}.${table}`] = await t.db.query(
          `SELECT * FROM ${ident(schema)}.${ident(table)} AS r ORDER BY r::text`,
        );
    return withoutZeroCounters(out);
  };
  let live: Record<string, unknown[]>;
  /** Every index on a projection's tables, as `pg_indexes` defines it. */
  const indexesOf = async ({ schema, tables }: RebuildableProjection) =>
    (
      await t.db.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = ANY($2) ORDER BY indexname`,
        [schema, tables],
      )
    ).map((r) => r.indexdef);

  beforeAll(async () => {
    t = await createTestDatabase();
    for (const name of STORES) await storeOf(name).migrate();
    registered = await registeredConsumers(t.db);
    for (const name of names) loaded[name] = await projections[name]();
    await appendStory(storeOf);

    // The live consumers, as each service's process runs them, checkpoints in the service's schema.
    const progress = new ConsumerProgress();
    const sources: StoreLogEventSource[] = [];
    for (const { schema, consumer } of registered.filter((r) => projections[r.consumer.name])) {
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
    for (const schema of new Set(registered.map((r) => r.schema)))
      expect(await t.db.query(`SELECT event_id FROM ${ident(schema)}.dead_letters`)).toEqual([]);
    live = await dumpAll();
  }, 60_000);
  afterAll(async () => t?.drop());

  it('knows every consumer the services register: rebuildable under its own schema, or refused', () => {
    const unknown = registered
      .map((r) => r.consumer.name)
      .filter((n) => !projections[n] && !notRebuildable[n]);
    expect(unknown).toEqual([]);
    for (const { schema, consumer } of registered) {
      if (notRebuildable[consumer.name]) continue;
      expect(loaded[consumer.name]).toMatchObject({ consumer: { name: consumer.name }, schema });
    }
    for (const name of names) expect(registered.map((r) => r.consumer.name)).toContain(name);
    expect(Object.keys(notRebuildable).filter((n) => projections[n])).toEqual([]);
  });

  it('leaves no read table of the services without a projection that owns it', async () => {
    const tables = await t.db.query<{ name: string }>(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_schema = ANY($1) AND NOT table_name = ANY($2) AND NOT table_schema || '.' || table_name = ANY($3)
        ORDER BY 1`,
      [STORES, NOT_READ_MODELS, NOT_READ_MODELS_IN],
    );
    const owned = Object.values(loaded).flatMap(tablesOf);
    expect(tables.map((r) => r.name)).toEqual([...owned].sort());
  });

  it('had every table filled by the live consumers', () => {
    for (const [table, rows] of Object.entries(live)) expect([table, rows.length > 0]).toEqual([table, true]);
  });

  it.each(names)('rebuilds %s to exactly the live tables, leaving the others alone', async (name) => {
    const projection = loaded[name];
    const own = (dump: Record<string, unknown[]>, mine: boolean) =>
      Object.fromEntries(
        Object.entries(dump).filter(([table]) => tablesOf(projection).includes(table) === mine),
      );
    const before = await dumpAll();
    const indexesBefore = await indexesOf(projection);
    const report = await rebuildProjection(t.db, storeOf, projection, { batchSize: 50 });
    const after = await dumpAll();
    expect(own(after, true)).toEqual(own(live, true));
    // The read indexes it drops for the replay are all built again, as the DDL defines them.
    expect(await indexesOf(projection)).toEqual(indexesBefore);
    expect(own(after, false)).toEqual(own(before, false));
    const inbox = new IdempotentConsumer(t.db, projection.schema);
    let heads = 0;
    for (const source of projection.consumer.sources) {
      const head = await storeOf(source).headPosition();
      heads += head;
      expect([source, await inbox.checkpoint(name, source)]).toEqual([source, head]);
    }
    expect(report).toMatchObject({ consumer: name, events: heads });
  });

  it('drops nothing when a source store is missing', async () => {
    const withoutConsent = (name: string) => storeOf(name === 'consent' ? 'no-such-store' : name);
    await expect(rebuildProjection(t.db, withoutConsent, loaded['offer.offer-list'])).rejects.toMatchObject({
      code: '42P01',
    });
    expect(await dumpAll()).toEqual(live);
  });

  it('lists, refuses and rebuilds from the command line', async () => {
    const [out, err] = [capture(), capture()];
    expect(await main(['--list'], { out, err })).toBe(0);
    expect(out.text().trim().split('\n')).toEqual(names);
    for (const refused of Object.keys(notRebuildable)) expect(err.text()).toContain(`${refused}:`);
    const noArgument = capture();
    expect(await main([], { out: noArgument, err: capture() })).toBe(0);
    expect(noArgument.text()).toBe(out.text());

    const mailer = capture();
    expect(await main(['offer.mailer'], { out: capture(), err: mailer })).toBe(2);
    expect(mailer.text()).toMatch(/offer\.mailer is not rebuildable: it sends the offer e-mails/);
    expect(await main(['no.such-consumer'], { out: capture(), err: capture() })).toBe(2);

    const report = capture();
    const env = { DATABASE_URL: t.url };
    expect(await main(['offer.offer-list'], { out: report, err: capture(), env })).toBe(0);
    expect(JSON.parse(report.text())).toMatchObject({ consumer: 'offer.offer-list' });
    expect(await dumpAll()).toEqual(live);

    const reports = capture();
    expect(await main(['--all'], { out: reports, err: capture(), env })).toBe(0);
    const lines = reports.text().trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { consumer: string }).consumer)).toEqual(names);
    expect(await dumpAll()).toEqual(live);
  });
});
