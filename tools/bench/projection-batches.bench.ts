/**
 * What a live-sized batch costs the client list projection as its tables grow (prints figures, asserts
 * nothing): the statements that change rows by key from a batch, with 10 events a batch, against tables of
 * `--rows` rows each. On the embedded PostgreSQL server (a fresh DATA_DIR) or on `--database-url` (a
 * database of its own, dropped at the end).
 *
 *   npm run build
 *   node tools/dist/bench/projection-batches.bench.js [--rows 5000,20000,100000] [--batches 200] [--database-url postgres://…]
 *
 * Per table size: `client_list`, `client_activity`, `client_profiles` and `service_requests` are filled with that many rows
 * for another partner and analyzed; then `--batches` batches of 10 `ServiceRequestCreated` (each a new
 * request of one of 10 listed clients) and as many of 10 `ServiceRequestStatusChanged` (of requests already
 * there), and as many of 10 `DelegationGranted` of new clients (`client_profiles` holds a profile for every listed
 * client), each batch in its own transaction through `handleBatch`, as the consumer applies them.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { EventEnvelope } from '@dap/contracts';
import { migrate, type SqlClient } from '@dap/eventsourcing';
import { loadConfig, openDatabase } from '@dap/platform';
import { ClientListProjection, clientDirectoryTable as table, clientListDdl } from '@dap/client-directory';
import { standaloneDatabase } from './standalone-database.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '5000,20000,100000' },
    batches: { type: 'string', default: '200' },
    'database-url': { type: 'string' },
  },
});
const SIZES = args.rows.split(',').map(Number);
const BATCHES = Number(args.batches);
const BATCH = 10;
const LISTED = 10; // clients of partner p1, which the batches change

let position = 0;
const envelope = (type: string, subject: string, data: Record<string, unknown>): EventEnvelope => ({
  id: randomUUID(),
  type,
  schemaVersion: 1,
  source: 'service-request',
  subject,
  partnerId: 'p1',
  time: new Date().toISOString(),
  actor: { id: 'system:bench' },
  streamVersion: 1,
  globalPosition: ++position,
  data,
});
const created = (requestId: string, clientId: string) =>
  envelope('ServiceRequestCreated', `service-request-${requestId}`, {
    requestId,
    partnerId: 'p1',
    clientId,
    title: 'Mailbox quota raised',
    severity: 'moderate',
  });
const granted = (clientId: string) =>
  envelope('DelegationGranted', `delegation-${clientId}`, {
    delegationId: `g-${clientId}`,
    partnerId: 'p1',
    clientId,
    grantedRoles: ['limited-admin'],
    client: { name: `Client ${clientId}`, primaryDomain: `${clientId}.example` },
  });
const changed = (requestId: string, to: string) =>
  envelope('ServiceRequestStatusChanged', `service-request-${requestId}`, { requestId, from: 'open', to });

/** `BATCHES` batches of `BATCH` events, the i-th of them all (from 0) made by `make`. */
const batchesOf = (make: (i: number) => EventEnvelope) =>
  Array.from({ length: BATCHES }, (_, b) => Array.from({ length: BATCH }, (_, k) => make(b * BATCH + k)));

async function fill(db: SqlClient, rows: number) {
  await db.exec(`
    TRUNCATE ${table('client_list')}, ${table('client_activity')}, ${table('client_profiles')}, ${table('service_requests')};
    INSERT INTO ${table('client_list')} (partner_id, client_id, delegation_id, delegation_status, granted_roles,
           granted_at, expires_sort, snapshot_name, name, sort_name, primary_domain, sort_domain)
      SELECT CASE WHEN i <= ${LISTED} THEN 'p1' ELSE 'p2' END, 'c' || i, 'd' || i, 'active', '{}', now(),
             'infinity', 'n' || i, 'n' || i, 'n' || i, 'd' || i || '.example', 'd' || i || '.example'
        FROM generate_series(1, ${rows}) i;
    INSERT INTO ${table('client_activity')} (partner_id, client_id, active, sort_name)
      SELECT partner_id, client_id, true, sort_name FROM ${table('client_list')};
    INSERT INTO ${table('client_profiles')} (partner_id, client_id, name, version, position)
      SELECT partner_id, client_id, name, 1, 1 FROM ${table('client_list')};
    INSERT INTO ${table('service_requests')} (request_id, partner_id, client_id, title, severity, status,
           created_at, updated_at, position)
      SELECT 'q' || i, 'p2', 'c' || i, 't', 'moderate', 'open', now(), now(), 0 FROM generate_series(1, ${rows}) i;
    ANALYZE ${table('client_list')}; ANALYZE ${table('client_activity')};
    ANALYZE ${table('client_profiles')}; ANALYZE ${table('service_requests')};`);
}

/** Median and 90th percentile, in ms, of applying the batches of {@link batchesOf} `make`. */
async function time(db: SqlClient, projection: ClientListProjection, make: (i: number) => EventEnvelope) {
  const ms: number[] = [];
  for (const batch of batchesOf(make)) {
    const started = performance.now();
    await db.transaction((tx) => projection.handleBatch(batch, tx));
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(2);
  return `${at(0.5)} / ${at(0.9)}`;
}

const target = await standaloneDatabase(args['database-url']);
let db: SqlClient | undefined;
try {
  const env = { ...target.env, LOG_LEVEL: 'silent' };
  db = await openDatabase(loadConfig(env));
  await migrate(db, clientListDdl);
  const projection = new ClientListProjection();
  console.log(`node ${process.argv.slice(1).join(' ')}`);
  console.log(`\n${target.label}; ${BATCHES} batches of ${BATCH} per figure; ${new Date().toISOString()}\n`);
  console.log(
    '| rows in each table | 10 ServiceRequestCreated, ms a batch (p50 / p90) | 10 ServiceRequestStatusChanged, ms a batch (p50 / p90) | 10 DelegationGranted, ms a batch (p50 / p90) |',
  );
  console.log('|---|---|---|---|');
  for (const rows of SIZES) {
    await fill(db, rows);
    const createdMs = await time(db, projection, (i) => created(`r${i + 1}`, `c${1 + ((i + 1) % LISTED)}`));
    const changedMs = await time(db, projection, (i) => changed(`r${i + 1}`, 'attentionNeeded'));
    const grantedMs = await time(db, projection, (i) => granted(`new-${i + 1}`));
    console.log(`| ${rows.toLocaleString('en-US')} | ${createdMs} | ${changedMs} | ${grantedMs} |`);
  }
} finally {
  await db?.close();
  await target.dispose();
}
