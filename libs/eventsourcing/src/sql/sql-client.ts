/** What the SQL adapters need from a connection: PostgreSQL through `pg`, or embedded PGlite. */
export interface SqlExecutor {
  query<R = Record<string, any>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Several statements, no parameters (DDL). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  readonly kind: 'pg' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
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
