/** What the SQL adapters need from a connection (PostgreSQL through `pg`). */
export interface SqlExecutor {
  query<R = Record<string, any>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Several statements, no parameters (DDL). */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * Commit without waiting for the WAL flush (`synchronous_commit = off`). Only for work that can be
   * redone from the event store, such as a read model and its checkpoint: a crash may lose the last
   * few such commits (never half of one), and the consumer then applies those events again.
   */
  asynchronousCommit?: boolean;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

/** Quotes an identifier (schema and table names come from code, never from requests). */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Applies idempotent DDL under a transaction-scoped advisory lock, so processes starting together do not race. */
export async function migrate(db: SqlClient, ddl: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('dap:migrate'))`);
    await tx.exec(ddl);
  });
}
