import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SqlClient, SqlExecutor } from './sql-client.js';

const parsers = { [types.INT8]: (value: string) => Number(value) };

/**
 * Embedded PostgreSQL (PGlite, WebAssembly) on disk under a directory, or in memory when `dataDir`
 * is undefined. One connection: PGlite runs queries and transactions one after another.
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;

  private constructor(private readonly db: PGlite) {}

  static async open(dataDir?: string): Promise<PgliteSqlClient> {
    const db = await PGlite.create({ dataDir, extensions: { pg_trgm }, parsers });
    return new PgliteSqlClient(db);
  }

  async query<R>(text: string, params?: unknown[]): Promise<R[]> {
    return (await this.db.query<R>(text, params)).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (t) =>
      work({
        query: async <R>(text: string, params?: unknown[]) => (await t.query<R>(text, params)).rows,
        exec: async (sql: string) => void (await t.exec(sql)),
      }),
    );
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
