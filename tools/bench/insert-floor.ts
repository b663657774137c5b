import pg from 'pg';

export interface FloorFigures {
  /** Committed transactions per second. */
  rps: number;
  p50: number;
  p99: number;
}

const SCRATCH = 'bench_insert_floor';
const DDL = `CREATE TABLE IF NOT EXISTS ${SCRATCH} (id bigserial PRIMARY KEY, payload jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())`;
const INSERT = `INSERT INTO ${SCRATCH} (payload) VALUES ($1)`;
const PAYLOAD = JSON.stringify({ title: 'floor', description: 'x'.repeat(200) });

const percentile = (sorted: number[], p: number) =>
  sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] * 100) / 100
    : 0;

/** Runs `once` on `connections` loops for `seconds`; each call is one timed transaction. */
export async function drive(connections: number, seconds: number, once: (k: number) => Promise<void>) {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, k) => {
      while (performance.now() < until) {
        const t = performance.now();
        await once(k);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

/** Connections the server can still give: max_connections less those open now, less a margin for others. */
export async function freeConnections(url: string, margin = 12): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ free: number }>(
      `SELECT current_setting('max_connections')::int - (SELECT count(*) FROM pg_stat_activity)::int AS free`,
    );
    return Math.max(1, rows[0].free - margin);
  } finally {
    await c.end();
  }
}

/**
 * The write floor of a server: single-row INSERT transactions (BEGIN; INSERT; COMMIT) with plain
 * `pg`, one client per connection, into a scratch table that is dropped afterwards. On a shared
 * server with few free connections it uses as many as it can get, and says so in `connections`.
 */
export async function pgInsertFloor(
  url: string,
  connections: number,
  seconds: number,
): Promise<FloorFigures & { connections: number }> {
  const used = Math.min(connections, await freeConnections(url));
  const clients: pg.Client[] = [];
  try {
    for (let k = 0; k < used; k++) {
      const c = new pg.Client({ connectionString: url });
      c.on('error', () => undefined); // a dropped connection fails its next query instead
      await c.connect();
      clients.push(c);
    }
    await clients[0].query(DDL);
    const figures = await drive(used, seconds, async (k) => {
      const c = clients[k];
      await c.query('BEGIN');
      await c.query(INSERT, [PAYLOAD]);
      await c.query('COMMIT');
    });
    await clients[0].query(`DROP TABLE IF EXISTS ${SCRATCH}`);
    return { ...figures, connections: used };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}
