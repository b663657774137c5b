import { prepared, type SqlExecutor } from '@dap/eventsourcing';
import { CLIENT_DIRECTORY } from '../projections/client-directory.schema.js';

/**
 * Which words of a search term the trigram indexes are asked for.
 *
 * A trigram index answers `LIKE '%term%'` by reading the entry of every trigram of the term, each one
 * whole, and intersecting them. A full domain such as `northwind-media-4242.example` reads the entries
 * of `exa`, `xam`, … (every row) and of `nor`, `med`, … (one row in eight or nine): 6 ms on 100,000 rows,
 * to find one row that its rarest word alone (`%4242%`) finds in 0.5 ms. So the index is asked for the
 * term's rarest words (runs of three or more letters or digits, in the term's order), as few as bring the
 * expected candidates under {@link CANDIDATES} of the rows, and every candidate is then checked for the
 * whole term. When every word is needed the term itself is asked for, as before.
 *
 * How rare a word is comes from the table's statistics: the values ANALYZE sampled into `pg_stats`,
 * from which the planner estimates a `LIKE` too. Stale or missing statistics change the speed, never
 * the answer.
 */
export const CANDIDATES = 0.01;

/** What ANALYZE sampled of one column: its most common values with their frequencies, and the histogram. */
export interface ColumnSample {
  common: string[];
  frequencies: number[];
  histogram: string[];
}

/** The sampled names and domains of the client list. */
export type SearchSample = ColumnSample[];

/** The estimated fraction of the column's rows that contain `word` (as PostgreSQL estimates a LIKE). */
export function fractionContaining(column: ColumnSample, word: string): number {
  let common = 0;
  let commonShare = 0;
  column.common.forEach((value, i) => {
    commonShare += column.frequencies[i];
    if (value.includes(word)) common += column.frequencies[i];
  });
  const { histogram } = column;
  const inHistogram = histogram.length
    ? histogram.filter((v) => v.includes(word)).length / histogram.length
    : 0;
  return common + (1 - commonShare) * inHistogram;
}

/**
 * The `LIKE` pattern to ask the trigram indexes for instead of the whole term (lower-cased), or null
 * when the whole term is the one to ask for (no statistics, or every word of it needed).
 */
export function indexPattern(term: string, sample: SearchSample | null): string | null {
  if (!sample?.length) return null;
  const words = [...new Set(term.match(/[a-z0-9]{3,}/g) ?? [])];
  // A row is a candidate when its name or its domain holds the word.
  const share = (word: string) =>
    Math.min(
      1,
      sample.reduce((sum, column) => sum + fractionContaining(column, word), 0),
    );
  const rarest = words
    .map((word) => ({ word, share: share(word) }))
    .sort((a, b) => a.share - b.share || b.word.length - a.word.length);
  const chosen: string[] = [];
  let candidates = 1;
  for (const { word, share } of rarest) {
    if (candidates <= CANDIDATES) break;
    chosen.push(word);
    candidates *= share;
  }
  if (chosen.length === words.length) return null;
  // In the term's order: a value holding the term holds them in that order.
  return `%${chosen.sort((a, b) => term.indexOf(a) - term.indexOf(b)).join('%')}%`;
}

/** How long a read of the statistics is used before it is read again. */
const SAMPLE_TTL_MS = 60_000;
const samples = new WeakMap<SqlExecutor, { at: number; sample: Promise<SearchSample | null> }>();

/** The client list's sampled names and domains (read at most once a minute per connection pool). */
export function searchSample(db: SqlExecutor): Promise<SearchSample | null> {
  const cached = samples.get(db);
  if (cached && performance.now() - cached.at < SAMPLE_TTL_MS) return cached.sample;
  const sample = readSample(db).catch(() => null);
  samples.set(db, { at: performance.now(), sample });
  return sample;
}

async function readSample(db: SqlExecutor): Promise<SearchSample | null> {
  const rows = await db.query<{
    common: string[] | null;
    frequencies: number[] | null;
    histogram: string[] | null;
  }>(
    prepared(`SELECT most_common_vals::text::text[] AS common, most_common_freqs AS frequencies,
                     histogram_bounds::text::text[] AS histogram
                FROM pg_stats WHERE schemaname = $1 AND tablename = 'client_list'
                 AND attname IN ('sort_name', 'sort_domain')`),
    [CLIENT_DIRECTORY],
  );
  const columns = rows
    .map((r) => ({ common: r.common ?? [], frequencies: r.frequencies ?? [], histogram: r.histogram ?? [] }))
    .filter((c) => c.common.length + c.histogram.length > 0);
  return columns.length ? columns : null;
}
