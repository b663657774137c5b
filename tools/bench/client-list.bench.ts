/**
 * Benchmark (prints figures, asserts nothing): the client management list at 100,000 clients for one
 * partner, on PostgreSQL and on the embedded PostgreSQL server. Seeds the read table directly, starts the real HTTP app with
 * the client-directory module over that database, and measures GET /api/v1/clients latency with
 * autocannon.
 *
 *   npm run build && node tools/dist/bench/client-list.bench.js [--clients 100000] [--connections 10] [--duration 10] [--engines postgres,embedded]
 *
 * PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a database of its
 * own is created and dropped.
 */
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrate, PgSqlClient } from '@dap/eventsourcing';
import { createApp, DEV_JWT_SECRET, loadConfig, mintToken, startEmbeddedPostgres } from '@dap/platform';
import pg from 'pg';
import { ClientDirectoryModule, clientListDdl } from '@dap/client-directory';
import { seed } from './client-list.seed.js';

interface Latency {
  p50: number;
  p99: number;
  average: number;
}
interface AutocannonResult {
  latency: Latency;
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: object,
) => Promise<AutocannonResult>;

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '1,10' },
    duration: { type: 'string', default: '10' },
    engines: { type: 'string', default: 'postgres,embedded' },
  },
});
const CLIENTS = Number(args.clients);
const CONNECTIONS = String(args.connections).split(',').map(Number);
const DURATION = Number(args.duration);
const PARTNER = 'bench-partner';

const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database of the benchmark's own on the PostgreSQL server, dropped afterwards. */
async function createDatabase() {
  const name = `dap_bench_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const db = new PgSqlClient(url.toString(), { max: 12 });
  return {
    db,
    async drop() {
      await db.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

const QUERIES: [string, string][] = [
  ['no search, sort=health', '/api/v1/clients?sort=health'],
  ['search=tailspin-pharma (250 rows), sort=health', '/api/v1/clients?search=tailspin-pharma&sort=health'],
  ['search=contoso (5,000 rows), sort=health', '/api/v1/clients?search=contoso&sort=health'],
  [
    'search=northwind-bank82.cn (exact domain), sort=health',
    '/api/v1/clients?search=northwind-bank82.cn&sort=health',
  ],
  ['search=contoso, health=incident, sort=name', '/api/v1/clients?search=contoso&health=incident&sort=name'],
  ['no search, tag=vip, sort=health', '/api/v1/clients?tag=vip&sort=health'],
];

async function run(engine: string) {
  const database = engine === 'postgres' ? await createDatabase() : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'dap-bench-'));
  const embedded = database ? null : await startEmbeddedPostgres(dataDir);
  const db = database
    ? database.db
    : new PgSqlClient(embedded!.url, { max: 20, onClose: () => embedded!.stop() });
  try {
    await migrate(db, clientListDdl);
    let t = performance.now();
    await seed(db, PARTNER, CLIENTS, 0);
    await seed(db, 'other-partner', 5000, CLIENTS);
    console.log(
      `\n## ${engine}: seeded ${CLIENTS} clients (+5000 for another partner) in ${Math.round(performance.now() - t)} ms`,
    );
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    t = performance.now();
    const app = await createApp([ClientDirectoryModule], { config, db, swaggerUi: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as { port: number };
    const token = await mintToken(DEV_JWT_SECRET, {
      sub: 'agent@bench',
      tid: PARTNER,
      roles: ['partner.agent'],
    });
    const headers = { authorization: `Bearer ${token}` };
    console.log(
      `app up in ${Math.round(performance.now() - t)} ms; ${CONNECTIONS.join(' and ')} connections, ${DURATION} s per query and concurrency\n`,
    );
    console.log('| query | total | connections | p50 ms | p99 ms | avg ms | req/s | non-2xx |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const [label, path] of QUERIES) {
      const probe = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
      const body = (await probe.json()) as { total?: number };
      for (const connections of CONNECTIONS) {
        const r = await autocannon({
          url: `http://127.0.0.1:${port}${path}`,
          connections,
          duration: DURATION,
          headers,
        });
        console.log(
          `| ${label} | ${body.total ?? probe.status} | ${connections} | ${r.latency.p50} | ${r.latency.p99} | ${r.latency.average} | ${Math.round(r.requests.average)} | ${r.non2xx + r.errors} |`,
        );
      }
    }
    await app.close();
  } finally {
    if (database) await database.drop();
    else await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`node ${process.argv.slice(1).join(' ')}`);
for (const engine of String(args.engines).split(',')) await run(engine.trim());
