import { createHash } from 'node:crypto';
import { prepared, type SqlExecutor } from '@dap/eventsourcing';

/** How many attempts a key has made in its current window, and when that window ends. */
export interface WindowCount {
  hits: number;
  windowEnd: Date;
}

interface Row {
  hits: number;
  window_end: Date | string;
}

const countOf = (row: Row): WindowCount => ({ hits: Number(row.hits), windowEnd: new Date(row.window_end) });

/** Keys are hashed: a caller's sub or an offer id of any length fits the primary key. */
export const attemptKey = (kind: string, ...parts: string[]): string =>
  `${kind}:${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`;

/**
 * Fixed-window attempt counts in `consent.link_attempts`. A window opens at a key's first attempt
 * and lasts `windowMs`; each attempt is one atomic upsert, so every replica over the same database
 * counts against the same row. Rows of ended windows are deleted by `deleteEnded`. Every offer-link
 * attempt runs `hitAndPeek`: it is planned once per connection.
 */
export class AttemptCounter {
  constructor(private readonly db: SqlExecutor) {}

  /** Counts one attempt and returns the count in the key's current window (this one included). */
  async hit(key: string, windowMs: number, now: Date): Promise<WindowCount> {
    return (await this.hitAndPeek(key, windowMs, now, '')).hit; // no key is ''
  }

  /**
   * `hit` on one key and `peek` at another, in one statement (an offer-link attempt counts against its
   * caller and is refused while its offer's failures are used up).
   */
  async hitAndPeek(
    key: string,
    windowMs: number,
    now: Date,
    peekKey: string,
  ): Promise<{ hit: WindowCount; peeked: WindowCount | null }> {
    const [row] = await this.db.query<Row & { peeked_hits: number | null; peeked_window_end: Date | null }>(
      prepared(`WITH hit AS (
         INSERT INTO consent.link_attempts AS a (key, window_end, hits) VALUES ($1, $2::timestamptz, 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN a.window_end > $3::timestamptz THEN a.hits + 1 ELSE 1 END,
           window_end = CASE WHEN a.window_end > $3::timestamptz THEN a.window_end ELSE EXCLUDED.window_end END
         RETURNING hits, window_end)
       SELECT hit.hits, hit.window_end, p.hits AS peeked_hits, p.window_end AS peeked_window_end
         FROM hit LEFT JOIN consent.link_attempts p ON p.key = $4 AND p.window_end > $3::timestamptz`),
      [key, new Date(now.getTime() + windowMs).toISOString(), now.toISOString(), peekKey],
    );
    const peeked = row.peeked_window_end && { hits: row.peeked_hits!, window_end: row.peeked_window_end };
    return { hit: countOf(row), peeked: peeked ? countOf(peeked) : null };
  }

  /** Deletes the rows whose window has ended; returns how many. */
  async deleteEnded(now: Date): Promise<number> {
    const rows = await this.db.query(
      `DELETE FROM consent.link_attempts WHERE window_end <= $1::timestamptz RETURNING key`,
      [now.toISOString()],
    );
    return rows.length;
  }
}
