import pg from 'pg';
import type { PreparedText, SqlClient, SqlExecutor, TransactionOptions } from './sql-client.js';

// int8 (global positions, counts) as JS numbers: positions stay far below 2^53.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface PgSqlClientOptions {
  /** Pool size. */
  max?: number;
  /** Runs after the pool has closed (the embedded server stops there). */
  onClose?: () => Promise<void>;
}

const statement = (text: string | PreparedText, values?: unknown[]): pg.QueryConfig =>
  typeof text === 'string' ? { text, values } : { name: text.name, text: text.text, values };

/** PostgreSQL over a `pg` connection pool. */
export class PgSqlClient implements SqlClient {
  private readonly pool: pg.Pool;

  constructor(
    connectionString: string,
    private readonly options: PgSqlClientOptions = {},
  ) {
    this.pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<R>(text: string | PreparedText, params?: unknown[]): Promise<R[]> {
    return (await this.pool.query(statement(text, params))).rows as R[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(
    work: (tx: SqlExecutor, begun: Record<string, any>[]) => Promise<T>,
    options: TransactionOptions<T> = {},
  ): Promise<T> {
    const client = await this.pool.connect();
    const tx: SqlExecutor = {
      query: async <R>(text: string | PreparedText, params?: unknown[]) =>
        (await client.query(statement(text, params))).rows as R[],
      exec: async (sql: string) => void (await client.query(sql)),
    };
    try {
      const begin = [
        'BEGIN',
        options.asynchronousCommit && 'SET LOCAL synchronous_commit = off',
        options.begin,
      ];
      // Several statements answer with one result each: `work` gets the last one's rows.
      const begun = await client.query(begin.filter(Boolean).join('; '));
      const result = await work(tx, Array.isArray(begun) ? begun[begun.length - 1].rows : begun.rows);
      await client.query(options.commit ? `${options.commit(result)}; COMMIT` : 'COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.options.onClose?.();
  }
}
