import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PgSqlClient, type SqlClient } from '@dap/eventsourcing';
import { loadConfig, openDatabase } from '@dap/platform';
import pg from 'pg';

/** Where the benchmarked standalone keeps its data, and how the harness reaches that database. */
export interface StandaloneDatabase {
  label: string;
  /** Environment for the standalone child (DATA_DIR, and DATABASE_URL when given). */
  env: Record<string, string>;
  /** Opens the standalone's database from the harness, through the product's own adapters. */
  open(): Promise<SqlClient>;
  /**
   * True when `open()` may be used while the standalone runs (a server reached over the network);
   * false for an embedded store only its owning process may open: the harness then seeds and
   * measures the floor while the standalone is stopped.
   */
  whileRunning: boolean;
  /** A plain `pg` connection string to the same server, for the INSERT floor; null when there is none. */
  pgUrl: string | null;
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
 * - none: the embedded default under a fresh DATA_DIR, opened with the platform's own
 *   `openDatabase` (so whatever engine the product embeds), only while the standalone is stopped.
 *   When the embedded engine becomes a server the harness could reach while it runs, this is the
 *   function to change (return its URL and `whileRunning: true`).
 */
export async function standaloneDatabase(serverUrl: string | undefined): Promise<StandaloneDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dap-suite-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (!serverUrl) {
    return {
      label: `embedded default (DATA_DIR=${dataDir})`,
      env: { DATA_DIR: dataDir },
      open: () => openDatabase(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' })),
      whileRunning: false,
      pgUrl: null,
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
    whileRunning: true,
    pgUrl: databaseUrl,
    async dispose() {
      await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      removeDir();
    },
  };
}
