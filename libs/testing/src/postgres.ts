import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgSqlClient, type SqlClient } from '@dap/eventsourcing';
import { startEmbeddedPostgres } from '@dap/platform';

/** The PostgreSQL server integration tests use; CI always has one (see .ci/run). */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  db: SqlClient;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database of its own for one test file, dropped afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `dap_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const db = new PgSqlClient(url.toString(), { max: 12 });
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const again = new pg.Client({ connectionString: POSTGRES_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

/** A fresh embedded PostgreSQL server (the standalone default's engine) in a directory of its own. */
export async function createEmbeddedDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dap-embedded-'));
  const server = await startEmbeddedPostgres(dataDir);
  const db = new PgSqlClient(server.url, {
    max: 12,
    onClose: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
  return { db, url: server.url, drop: () => db.close() };
}

/** Both servers, for suites that must pass on each: `describe.each(sqlEngines)(...)`. */
export const sqlEngines: [string, () => Promise<TestDatabase>][] = [
  ['PostgreSQL', createTestDatabase],
  ['embedded PostgreSQL', createEmbeddedDatabase],
];
