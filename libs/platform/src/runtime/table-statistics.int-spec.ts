import { describe, expect, it } from '@jest/globals';
import { sqlEngines } from '@dap/testing';
import { analyzeChangedTables } from './table-statistics.js';

describe.each(sqlEngines)('analyzeChangedTables on %s', (_label, open) => {
  it('analyzes the tables of the given schemas that changed enough, once', async () => {
    const { db, drop } = await open();
    try {
      // Autovacuum kept off these tables, so that only the function under test analyzes them.
      await db.exec(`
        CREATE SCHEMA reads;
        CREATE TABLE reads.rows (id int PRIMARY KEY, name text) WITH (autovacuum_enabled = false);
        CREATE TABLE reads.quiet (id int) WITH (autovacuum_enabled = false);
        CREATE SCHEMA elsewhere;
        CREATE TABLE elsewhere.rows (id int) WITH (autovacuum_enabled = false);`);
      // The change counters reach pg_stat_user_tables when the writing session flushes them.
      await db.exec(`
        INSERT INTO reads.rows SELECT i, 'n' || i FROM generate_series(1, 1000) i;
        INSERT INTO reads.quiet VALUES (1);
        INSERT INTO elsewhere.rows SELECT generate_series(1, 1000);
        SELECT pg_stat_force_next_flush();`);
      expect(await analyzeChangedTables(db, ['reads'])).toEqual(['reads.rows']);
      const [{ columns }] = await db.query<{ columns: number }>(
        `SELECT count(*)::int AS columns FROM pg_stats WHERE schemaname = 'reads' AND tablename = 'rows'`,
      );
      expect(columns).toBe(2);
      expect(await analyzeChangedTables(db, ['reads'])).toEqual([]);
    } finally {
      await drop();
    }
  });
});
