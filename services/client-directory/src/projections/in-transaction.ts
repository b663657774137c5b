import type { SqlClient, SqlExecutor } from '@dap/eventsourcing';

/**
 * An SqlClient whose every statement and "transaction" runs inside an enclosing transaction: a
 * consumer can append to its own store in the same transaction that records the event as handled
 * (exactly-once effect), and PGlite, which has one connection, does not wait on itself.
 */
export function inTransaction(tx: SqlExecutor, kind: SqlClient['kind']): SqlClient {
  return {
    kind,
    query: (text, params) => tx.query(text, params),
    exec: (sql) => tx.exec(sql),
    transaction: (work) => work(tx),
    close: async () => undefined,
  };
}
