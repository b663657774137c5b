import type { Socket } from 'node:net';
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
    // Pipeline mode: a connection sends a statement without waiting for the one before it to be answered
    // (a pipelined transaction's BEGIN and first statement). A connection is used by one caller at a
    // time, so nothing else changes.
    // (`pipeline` is pg 8.23's; @types/pg does not know it yet.)
    this.pool = new pg.Pool({ connectionString, max: options.max ?? 10, pipeline: true } as pg.PoolConfig);
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
    work: (tx: SqlExecutor, begun: Promise<Record<string, any>[]>) => Promise<T>,
    options: TransactionOptions<T> = {},
  ): Promise<T> {
    const client = await this.pool.connect();
    const stream = (client as unknown as { connection: { stream: Socket } }).connection.stream;
    // Pipelined: BEGIN waits in the socket's buffer until work's first statement joins it (or the
    // next turn of the event loop, when work has none to send at once).
    let corked = options.pipelined === true;
    const uncork = () => {
      if (!corked) return;
      corked = false;
      stream.uncork();
    };
    // The work's first statement goes out with BEGIN while BEGIN is still in the buffer.
    const send = (config: pg.QueryConfig) => {
      const answer = client.query(config);
      uncork();
      return answer;
    };
    const tx: SqlExecutor = {
      query: async <R>(text: string | PreparedText, params?: unknown[]) =>
        (await send(statement(text, params))).rows as R[],
      exec: async (sql: string) => void (await send({ text: sql })),
    };
    const begin = [
      'BEGIN',
      options.asynchronousCommit && 'SET LOCAL synchronous_commit = off',
      options.begin,
    ];
    if (corked) {
      stream.cork();
      setImmediate(uncork);
    }
    // Several statements answer with one result each: `work` gets the last one's rows.
    const begun = client
      .query(begin.filter(Boolean).join('; '))
      .then((r) => (Array.isArray(r) ? r[r.length - 1].rows : r.rows) as Record<string, any>[]);
    begun.catch(() => undefined); // handled below; not an unhandled rejection while work runs
    try {
      if (!options.pipelined) await begun;
      // Pipelined, work's statements fail as well when BEGIN does: BEGIN's error is the one to report.
      const result = await work(tx, begun).catch((error) => begun.then(() => Promise.reject(error)));
      await begun;
      await client.query(options.commit ? `${options.commit(result)}; COMMIT` : 'COMMIT');
      return result;
    } catch (error) {
      uncork();
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
