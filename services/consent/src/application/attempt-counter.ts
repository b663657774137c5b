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
 * attempt runs `hit` and `peek`: both are planned once per connection.
 */
export class AttemptCounter {
  constructor(private readonly db: SqlExecutor) {}

  /** Counts one attempt and returns the count in the key's current window (this one included). */
  async hit(key: string, windowMs: number, now: Date): Promise<WindowCount> {
    const [row] = await this.db.query<Row>(
      prepared(`INSERT INTO consent.link_attempts AS a (key, window_end, hits) VALUES ($1, $2::timestamptz, 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN a.window_end > $3::timestamptz THEN a.hits + 1 ELSE 1 END,
         window_end = CASE WHEN a.window_end > $3::timestamptz THEN a.window_end ELSE EXCLUDED.window_end END
       RETURNING hits, window_end`),
      [key, new Date(now.getTime() + windowMs).toISOString(), now.toISOString()],
    );
    return countOf(row);
  }

  /** The count in the key's current window, without counting (null when no window is open). */
  async peek(key: string, now: Date): Promise<WindowCount | null> {
    const [row] = await this.db.query<Row>(
      prepared(
        `SELECT hits, window_end FROM consent.link_attempts WHERE key = $1 AND window_end > $2::timestamptz`,
      ),
      [key, now.toISOString()],
    );
    return row ? countOf(row) : null;
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
