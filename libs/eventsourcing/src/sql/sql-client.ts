import { createHash } from 'node:crypto';

/**
 * A statement PostgreSQL parses and plans once per connection (a named prepared statement), for the
 * fixed-shape statements every command and consumer batch runs. Only for text that never varies with
 * input: one prepared statement is kept per distinct text on every pooled connection.
 */
export interface PreparedText {
  readonly name: string;
  readonly text: string;
}

const preparedTexts = new Map<string, PreparedText>();

/** The prepared statement for `text` (the same object for the same text). */
export function prepared(text: string): PreparedText {
  let statement = preparedTexts.get(text);
  if (!statement) {
    statement = { name: `dap_${createHash('sha256').update(text).digest('hex').slice(0, 20)}`, text };
    preparedTexts.set(text, statement);
  }
  return statement;
}

/** What the SQL adapters need from a connection (PostgreSQL through `pg`). */
export interface SqlExecutor {
  query<R = Record<string, any>>(text: string | PreparedText, params?: unknown[]): Promise<R[]>;
  /** Several statements, no parameters (DDL). */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions<T = unknown> {
  /**
   * Commit without waiting for the WAL flush (`synchronous_commit = off`). Only for work that can be
   * redone from the event store, such as a read model and its checkpoint: a crash may lose the last
   * few such commits (never half of one), and the consumer then applies those events again.
   */
  asynchronousCommit?: boolean;
  /** Statements without parameters sent with BEGIN, in the same round trip; `work` gets the last one's rows. */
  begin?: string;
  /**
   * Start `work` without waiting for BEGIN's answer: its first statement goes out in the same write as
   * BEGIN and the server answers both in one round trip. `work` then must not need the begun rows before
   * its first statement: it can await them later (and throw, to roll back, when they are not what it
   * assumed). A failed BEGIN fails the transaction with BEGIN's error.
   */
  pipelined?: boolean;
  /** Statements without parameters, made from `work`'s result, sent with COMMIT in the same round trip. */
  commit?: (result: T) => string;
}

export interface SqlClient extends SqlExecutor {
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. `begun`:
   * the rows of the last `begin` statement.
   */
  transaction<T>(
    work: (tx: SqlExecutor, begun: Promise<Record<string, any>[]>) => Promise<T>,
    options?: TransactionOptions<T>,
  ): Promise<T>;
  close(): Promise<void>;
}

/** A string literal for statements sent without parameters (`begin`, `commit`); never for request input. */
export const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Quotes an identifier (schema and table names come from code, never from requests). */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Applies idempotent DDL under a transaction-scoped advisory lock, so processes starting together do not race. */
export async function migrate(db: SqlClient, ddl: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('dap:migrate'))`);
    await tx.exec(ddl);
  });
}
