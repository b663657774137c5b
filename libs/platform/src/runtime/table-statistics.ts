import type { SqlClient } from '@dap/eventsourcing';

/**
 * Analyzes the tables of the given schemas whose rows changed by more than the server's autovacuum
 * would wait for (`autovacuum_analyze_threshold` + `autovacuum_analyze_scale_factor` × rows), as its
 * autoanalyze does: for a server whose autovacuum is off, where read tables would otherwise never get
 * statistics and list queries are planned blind (a search on 100,000 clients read every row of the
 * partner, 84 ms, instead of its trigram index, 2 ms). Another process analyzing the same table at
 * the same moment is left to it. Returns the tables it analyzed.
 */
export async function analyzeChangedTables(db: SqlClient, schemas: string[]): Promise<string[]> {
  const tables = await db.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
      WHERE schemaname = ANY($1::text[])
        AND n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
              + current_setting('autovacuum_analyze_scale_factor')::float8 * n_live_tup
      ORDER BY 1`,
    [schemas],
  );
  const analyzed: string[] = [];
  for (const { name } of tables) {
    const done = await db.transaction(async (tx) => {
      const [{ mine }] = await tx.query<{ mine: boolean }>(
        `SELECT pg_try_advisory_xact_lock(hashtext('dap:analyze:' || $1::text)) AS mine`,
        [name],
      );
      if (mine) await tx.exec(`ANALYZE ${name}`);
      return mine;
    });
    if (done) analyzed.push(name);
  }
  return analyzed;
}
