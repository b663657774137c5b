/**
 * Seeds a consent store with a synthetic audit trail for the audit replay benchmark: DelegationGranted,
 * RoleAssigned, RoleRevoked and DelegationRevoked events across a few partners and thousands of
 * clients, appended through the real `SqlEventStore` with the payloads the consent deciders write
 * (each checked against its JSON Schema), then the hash chain built the way the service builds it:
 * the consent audit-chain consumer applied through `IdempotentConsumer.applyOrdered`, page by page.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/audit_bench node tools/dist/bench/audit-replay.seed.js [--events 100000]
 *   DATA_DIR=/tmp/audit-bench node tools/dist/bench/audit-replay.seed.js [--events 100000]   (embedded server)
 *
 * The PostgreSQL database is created when it does not exist; the store must be empty.
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Actor, DelegatedRole, OfferIncludes } from '@dap/contracts';
import { validateEventData } from '@dap/contracts';
import {
  PgSqlClient,
  SqlEventStore,
  type NewEvent,
  type SqlClient,
  type StreamAppend,
} from '@dap/eventsourcing';
import { IdempotentConsumer } from '@dap/messaging';
import { loadConfig, openDatabase } from '@dap/platform';
import {
  auditChainProjection,
  CONSENT,
  delegationIdFor,
  delegationStream,
  migrateConsentTables,
  partnerUserStream,
} from '@dap/consent';
import pg from 'pg';

export interface AuditSeedOptions {
  events: number;
  partners?: number;
  /** Client tenants; defaults to events / 20 (5,000 for 100,000 events). */
  clients?: number;
  usersPerPartner?: number;
  /** Events per partner-admin append (role changes and revocations in one call). */
  partnerBatch?: number;
  log?: (line: string) => void;
}

export interface AuditSeedResult {
  events: number;
  counts: Record<string, number>;
  appends: number;
  chained: number;
  seedMs: number;
  chainMs: number;
}

const PARTNERS = [
  'partner-bluesky',
  'partner-contoso-msp',
  'partner-northwind-it',
  'partner-fabrikam-cloud',
  'partner-litware-services',
  'partner-adatum-consulting',
];
const NAMES = ['Contoso', 'Fabrikam', 'Northwind', 'Tailspin', 'Litware', 'Adatum', 'Woodgrove', 'Proseware'];
const TRADES = ['Holdings', 'Trading', 'Logistics', 'Pharma', 'Bank', 'Foods', 'Motors', 'Energy', 'Media'];
const CITIES: [string, string][] = [
  ['Paris', 'FR'],
  ['Lyon', 'FR'],
  ['Berlin', 'DE'],
  ['Madrid', 'ES'],
  ['Milano', 'IT'],
  ['Dublin', 'IE'],
];

interface OfferTerms {
  grantedRoles: DelegatedRole[];
  delegationDuration: string | null;
  days: number | null;
  autoExtend: boolean;
  includes: OfferIncludes;
}
const OFFERS: OfferTerms[] = [
  {
    grantedRoles: ['limited'],
    delegationDuration: 'P90D',
    days: 90,
    autoExtend: true,
    includes: { trial: { productId: 'm365-business' } },
  },
  {
    grantedRoles: ['full', 'limited'],
    delegationDuration: 'P730D',
    days: 730,
    autoExtend: false,
    includes: {},
  },
  {
    grantedRoles: ['limited'],
    delegationDuration: null,
    days: null,
    autoExtend: false,
    includes: { purchase: { productId: 'm365-business-premium', quantity: 25 } },
  },
];

/** A stable UUID (v5 layout) from a text, so the same seed names the same offers. */
const uuidOf = (text: string) => {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** mulberry32: a small deterministic generator, so two runs seed the same trail. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const clientIdOf = (i: number) => `client-${String(i).padStart(5, '0')}`;

/** Writes the trail and builds the chain; returns what was written. */
export async function seedAuditTrail(db: SqlClient, options: AuditSeedOptions): Promise<AuditSeedResult> {
  const total = options.events;
  const partners = PARTNERS.slice(0, options.partners ?? 4);
  const clients = options.clients ?? Math.max(100, Math.round(total / 20));
  const users = options.usersPerPartner ?? 200;
  const partnerBatch = options.partnerBatch ?? 60;
  const log = options.log ?? (() => undefined);

  const store = await new SqlEventStore(db, CONSENT).migrate();
  await migrateConsentTables(db);
  const consumers = await new IdempotentConsumer(db, CONSENT).migrate();
  if ((await store.headPosition()) !== 0) throw new Error('the consent store is not empty');

  const rand = random(20261121);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  let clock = Date.parse('2026-01-01T08:00:00Z');
  const tick = () => new Date((clock += 1000 + Math.floor(rand() * 60_000)));

  // What the deciders would find in the streams: delegation generations, active pairs, user roles.
  const generation = new Map<string, number>();
  const activeByClient = new Map<number, Set<string>>();
  const activeByPartner = new Map<string, number[]>(partners.map((p) => [p, []]));
  const roles = new Map<string, { role: DelegatedRole | null; version: number }>();
  const counts: Record<string, number> = {};
  let written = 0;
  let appends = 0;
  const started = performance.now();

  const event = (type: string, data: object): NewEvent => {
    const check = validateEventData(type, 1, data);
    if (!check.ok) throw new Error(`${type} fails its schema: ${check.errors.join('; ')}`);
    counts[type] = (counts[type] ?? 0) + 1;
    return { type, data };
  };
  const append = async (batch: StreamAppend[], actor: Actor, partnerId: string, time = tick()) => {
    const result = await store.appendToStreams(batch, { actor, partnerId, time });
    written += result.events.length;
    appends += 1;
    if (Math.floor(written / 10_000) !== Math.floor((written - result.events.length) / 10_000))
      log(`  ${written} events written (${Math.round(performance.now() - started)} ms)`);
  };
  const clientAdmin = (c: number): Actor => ({
    id: `admin@${NAMES[c % NAMES.length].toLowerCase()}-${c}.example`,
    tenantId: clientIdOf(c),
    roles: ['client.admin'],
  });
  const deactivate = (partnerId: string, c: number) => {
    activeByClient.get(c)!.delete(partnerId);
    const list = activeByPartner.get(partnerId)!;
    list.splice(list.indexOf(c), 1);
  };
  const revocation = (partnerId: string, c: number, side: 'client' | 'partner', by: string) => {
    const delegationId = delegationIdFor(partnerId, clientIdOf(c), generation.get(`${partnerId}\n${c}`)!);
    deactivate(partnerId, c);
    return {
      streamId: delegationStream(delegationId),
      expectedVersion: 1,
      events: [
        event('DelegationRevoked', {
          delegationId,
          partnerId,
          clientId: clientIdOf(c),
          revokedBy: by,
          side,
          ...(rand() < 0.5 && { reason: side === 'client' ? 'changed provider' : 'contract ended' }),
        }),
      ],
    };
  };

  /** A client administrator accepts an offer (one command, one append, as the service does it). */
  const accept = async (c: number, partnerId: string) => {
    const key = `${partnerId}\n${c}`;
    const g = (generation.get(key) ?? 0) + 1;
    generation.set(key, g);
    const offerIndex = Math.floor(rand() * OFFERS.length);
    const offer = OFFERS[offerIndex];
    const delegationId = delegationIdFor(partnerId, clientIdOf(c), g);
    const actor = clientAdmin(c);
    const grantedAt = tick();
    const [city, country] = CITIES[c % CITIES.length];
    const name = `${NAMES[c % NAMES.length]} ${TRADES[c % TRADES.length]} ${c}`;
    const data = {
      delegationId,
      partnerId,
      clientId: clientIdOf(c),
      offerId: uuidOf(`offer\n${partnerId}\n${offerIndex}`),
      grantedRoles: offer.grantedRoles,
      grantedBy: actor.id,
      grantedAt: grantedAt.toISOString(),
      expiresAt:
        offer.days === null ? null : new Date(grantedAt.getTime() + offer.days * 86_400_000).toISOString(),
      delegationDuration: offer.delegationDuration,
      autoExtend: offer.autoExtend,
      client: {
        name,
        primaryDomain: `${name.toLowerCase().replace(/ /g, '-')}.example`,
        address: { line1: `${1 + (c % 180)} Main Street`, city, postalCode: `${10000 + c}`, country },
      },
      includes: offer.includes,
      partnerContacts: [`admin@${partnerId}.example`],
    };
    await append(
      [
        {
          streamId: delegationStream(delegationId),
          expectedVersion: 0,
          events: [event('DelegationGranted', data)],
        },
      ],
      actor,
      partnerId,
      grantedAt,
    );
    if (!activeByClient.has(c)) activeByClient.set(c, new Set());
    activeByClient.get(c)!.add(partnerId);
    activeByPartner.get(partnerId)!.push(c);
  };

  /** A partner administrator's burst of role changes and revocations, in one append. */
  const partnerBurst = async (partnerId: string, size: number) => {
    const admin = `admin@${partnerId}.example`;
    const actor: Actor = { id: admin, tenantId: partnerId, roles: ['partner.admin'] };
    const batch: StreamAppend[] = [];
    for (let n = 0; n < size; n++) {
      const active = activeByPartner.get(partnerId)!;
      if (rand() < 0.3 && active.length > 0) {
        batch.push(revocation(partnerId, pick(active), 'partner', admin));
        continue;
      }
      const userId = `user${Math.floor(rand() * users)}@${partnerId}.example`;
      const key = `${partnerId}\n${userId}`;
      const state = roles.get(key) ?? { role: null, version: 0 };
      const expectedVersion = state.version;
      let next: NewEvent;
      if (state.role !== null && rand() < 0.4) {
        next = event('RoleRevoked', { partnerId, userId, previousRole: state.role, revokedBy: admin });
        state.role = null;
      } else {
        const role: DelegatedRole =
          state.role === null
            ? pick(['full', 'limited'] as const)
            : state.role === 'full'
              ? 'limited'
              : 'full';
        next = event('RoleAssigned', {
          partnerId,
          userId,
          role,
          previousRole: state.role,
          assignedBy: admin,
        });
        state.role = role;
      }
      state.version += 1;
      roles.set(key, state);
      batch.push({ streamId: partnerUserStream(partnerId, userId), expectedVersion, events: [next] });
    }
    await append(batch, actor, partnerId);
  };

  // Rounds of about 100 events: 40 client-side commands (mostly acceptances, some revocations by the
  // client), then one partner admin's burst of 60 (role changes, revocations by the partner).
  while (written < total) {
    for (let n = 0; n < 40 && written < total; n++) {
      const c = Math.floor(rand() * clients);
      const active = [...(activeByClient.get(c) ?? [])];
      if (active.length > 0 && rand() < 0.25) {
        const partnerId = pick(active);
        await append([revocation(partnerId, c, 'client', clientAdmin(c).id)], clientAdmin(c), partnerId);
        continue;
      }
      const idle = partners.filter((p) => !active.includes(p));
      if (idle.length > 0) await accept(c, pick(idle));
    }
    if (written < total) await partnerBurst(pick(partners), Math.min(partnerBatch, total - written));
  }
  const seedMs = performance.now() - started;
  log(`  ${written} events in ${appends} appends, ${Math.round(seedMs)} ms; building the audit chain`);

  // The chain, as the service's store-log delivery builds it: pages of the log, one transaction each.
  const chainStarted = performance.now();
  let after = await consumers.checkpoint(auditChainProjection.name, CONSENT);
  for (;;) {
    const page = await store.readAll(after, 500);
    if (page.length === 0) break;
    after = await consumers.applyOrdered(auditChainProjection, CONSENT, page);
    if (Math.floor(after / 20_000) !== Math.floor((after - page.length) / 20_000))
      log(`  chained up to position ${after} (${Math.round(performance.now() - chainStarted)} ms)`);
  }
  const [chained] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM consent.audit_chain`);
  await db.exec(`ANALYZE consent.events; ANALYZE consent.audit_chain;`);
  return {
    events: written,
    counts,
    appends,
    chained: chained.n,
    seedMs,
    chainMs: performance.now() - chainStarted,
  };
}

/** The server's maintenance connection for a database URL (same server, database `postgres`). */
const maintenanceUrl = (url: string) => {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name ${JSON.stringify(name)}`);
  u.pathname = '/postgres';
  return { name, admin: u.toString() };
};

async function onServer(url: string, work: (client: pg.Client, name: string) => Promise<void>) {
  const { name, admin } = maintenanceUrl(url);
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await work(client, name);
  } finally {
    await client.end();
  }
}

/** Creates the database named by `url` when it does not exist. */
export const createDatabaseIfMissing = (url: string) =>
  onServer(url, async (client, name) => {
    const { rowCount } = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${name}`);
  });

export const dropDatabase = (url: string) =>
  onServer(url, async (client, name) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

async function cli() {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' } } });
  const events = Number(values.events);
  let db: SqlClient;
  if (process.env.DATABASE_URL) {
    await createDatabaseIfMissing(process.env.DATABASE_URL);
    db = new PgSqlClient(process.env.DATABASE_URL, { max: 2 });
  } else {
    db = await openDatabase(loadConfig({ DATA_DIR: process.env.DATA_DIR ?? './data' }));
  }
  try {
    const result = await seedAuditTrail(db, { events, log: (line) => console.log(line) });
    console.log(JSON.stringify(result));
  } finally {
    await db.close();
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  cli().catch((error) => {
    console.error(`audit-replay.seed: ${(error as Error).message}`);
    process.exit(1);
  });
}
