import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PgSqlClient, type SqlClient } from '@dap/eventsourcing';
import { loadConfig, openDatabase, startEmbeddedPostgres } from '@dap/platform';
import pg from 'pg';

/** Where the benchmarked standalone keeps its data, and how the harness reaches that database. */
export interface StandaloneDatabase {
  label: string;
  /** Environment for the standalone child (DATA_DIR, and DATABASE_URL when given). */
  env: Record<string, string>;
  /** Opens the standalone's database from the harness (while it runs), through the product's own adapters. */
  open(): Promise<SqlClient>;
  /** A plain `pg` connection string to the same server (while the standalone runs), for the INSERT floor. */
  pgUrl(): Promise<string>;
  dispose(): Promise<void>;
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The one place that knows how to reach the standalone's database.
 * - `serverUrl` given: a fresh `bench_<random>` database on that server, handed to the standalone as
 *   DATABASE_URL and dropped afterwards.
 * - none: the embedded default under a fresh DATA_DIR: the standalone's own embedded PostgreSQL
 *   server, which the harness joins while it runs (as an operator tool does).
 */
export async function standaloneDatabase(serverUrl: string | undefined): Promise<StandaloneDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dap-suite-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (!serverUrl) {
    return {
      label: `embedded default (DATA_DIR=${dataDir})`,
      env: { DATA_DIR: dataDir },
      open: () => openDatabase(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { share: true }),
      pgUrl: async () => (await startEmbeddedPostgres(dataDir, { share: true })).url,
      async dispose() {
        removeDir();
      },
    };
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    label: `DATABASE_URL=${databaseUrl}`,
    env: { DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
    open: async () => new PgSqlClient(databaseUrl, { max: 4 }),
    pgUrl: async () => databaseUrl,
    async dispose() {
      await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      removeDir();
    },
  };
}
