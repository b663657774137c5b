import { createHash, randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@dap/contracts';
import { appendSignalFor } from '../append-signal.js';
import { envelopeOf } from '../envelope-builder.js';
import { ConcurrencyError } from '../errors.js';
import type {
  AppendMetadata,
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadStreamOptions,
  StreamAppend,
} from '../event-store.js';
import { upcast, type Upcasters } from '../upcasting.js';
import { ident, literal, migrate, prepared, type PreparedText, type SqlClient } from './sql-client.js';

/**
 * DDL for one service's store: `<schema>.events`, its append function and its reader of the global log.
 *
 * Appends draw their positions from the store's sequence without any lock between them, insert, and
 * commit in parallel, so commits can become visible out of position order. What keeps a reader from
 * passing a position whose event is not visible yet: every append holds two shared advisory locks to the
 * end of its transaction, one saying it is in flight (taken before it draws a position) and one naming
 * the first position it drew. `read_events` first reads the sequence (no position drawn before that read
 * is higher: the horizon), then the locks: an append in flight that drew a position at or below the
 * horizon took its in-flight lock before, so it is there, with its first position, or without one yet
 * (then nothing past `after` is settled). Every position up to the horizon and below every first
 * position in flight belongs to an append that has ended, committed (visible to the snapshot of the
 * read that follows) or rolled back: those events are settled, and a reader that passed them never
 * finds one below them later. Only appends to this store hold readers back, for as long as they run.
 */
export function eventStoreDdl(schema: string): string {
  const events = `${ident(schema)}.events`;
  const sequence = literal(`${events}_global_position_seq`);
  const insert = `INSERT INTO ${events} AS t (global_position, event_id, stream_id, stream_version, type, schema_version, partner_id, data, metadata, recorded_at)`;
  const returning = `RETURNING t.event_id, t.global_position, t.stream_version`;
  const behind = (stream: string) =>
    `RAISE EXCEPTION 'stream % is behind its expected version', ${stream} USING ERRCODE = 'DAP09', DETAIL = ${stream}`;
  return `
  CREATE SCHEMA IF NOT EXISTS ${ident(schema)};
  CREATE TABLE IF NOT EXISTS ${events} (
    global_position bigserial PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    stream_id text NOT NULL,
    stream_version integer NOT NULL,
    type text NOT NULL,
    schema_version integer NOT NULL,
    partner_id text,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL,
    -- Readers went by it until 2026-12 (positions were drawn with the transaction id, under a lock).
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    UNIQUE (stream_id, stream_version)
  );
  ALTER TABLE ${events} ADD COLUMN IF NOT EXISTS transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id();
  -- The payloads were a jsonb[] until 2026-12: one JSON array parses in a sixth of the time.
  DROP FUNCTION IF EXISTS ${ident(schema)}.append_events(text[], int[], int[], int[], uuid[], text[], int[], jsonb[], text, jsonb, timestamptz);
  CREATE OR REPLACE FUNCTION ${ident(schema)}.append_events(
    streams text[], expected int[], stream_of int[], seq int[], ids uuid[], types text[], schema_versions int[],
    datas jsonb, partner text, meta jsonb, at timestamptz
  ) RETURNS TABLE (event_id uuid, global_position bigint, stream_version int) LANGUAGE plpgsql
  -- Custom plans for the INSERT over unnested arrays were re-planned on most calls: the generic plan
  -- took an append from ~0.5 to ~0.3 ms of server time (pgbench, one connection, embedded server).
  SET plan_cache_mode = force_generic_plan AS $fn$
  DECLARE
    behind text;
    drawn bigint;
    positions bigint[];
  BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'an append must be the only write of its transaction' USING ERRCODE = 'DAP01';
    END IF;
    -- In flight until the transaction ends, from before a position is drawn (see read_events).
    PERFORM ${inFlightLock(schema)};
    IF cardinality(ids) = 1 AND cardinality(streams) = 1 THEN
      -- One event on one stream (most commands): the same steps without unnesting arrays and joining them,
      -- which took about a third of the function's server time.
      IF expected[1] > 0 AND NOT EXISTS (SELECT 1 FROM ${events} e WHERE e.stream_id = streams[1] AND e.stream_version = expected[1]) THEN
        ${behind('streams[1]')};
      END IF;
      drawn := nextval(${sequence});
      PERFORM pg_advisory_xact_lock_shared(${positionLockBase(schema)}::bigint + drawn);
      RETURN QUERY
      ${insert}
      VALUES (drawn, ids[1], streams[1],
              coalesce(expected[1], (SELECT max(e.stream_version) FROM ${events} e WHERE e.stream_id = streams[1]), 0) + 1,
              types[1], schema_versions[1], partner, datas->0, meta, at)
      ${returning};
      RETURN;
    END IF;
    -- An exact expected version must exist (a higher one makes the insert collide on the unique key).
    SELECT u.s INTO behind FROM unnest(streams, expected) AS u(s, x)
     WHERE u.x > 0 AND NOT EXISTS (SELECT 1 FROM ${events} e WHERE e.stream_id = u.s AND e.stream_version = u.x)
     LIMIT 1;
    IF behind IS NOT NULL THEN
      ${behind('behind')};
    END IF;
    SELECT array_agg(p ORDER BY p) INTO positions
      FROM (SELECT nextval(${sequence}) AS p
              FROM generate_series(1, cardinality(ids))) g;
    -- Readers hold back everything from this append's first position until it ends.
    PERFORM pg_advisory_xact_lock_shared(${positionLockBase(schema)}::bigint + positions[1]);
    RETURN QUERY
    ${insert}
    SELECT positions[ev.n], ev.id, a.s, a.base + ev.seq, ev.t, ev.sv, partner, ev.d, meta, at
      FROM ROWS FROM (unnest(ids), unnest(types), unnest(schema_versions), jsonb_array_elements(datas), unnest(stream_of), unnest(seq))
           WITH ORDINALITY AS ev(id, t, sv, d, k, seq, n)
      JOIN (SELECT u.k, u.s, coalesce(u.x, (SELECT max(e.stream_version) FROM ${events} e WHERE e.stream_id = u.s), 0) AS base
              FROM unnest(streams, expected) WITH ORDINALITY AS u(s, x, k)) a ON a.k = ev.k
     ORDER BY ev.n
    ${returning};
  END $fn$;
  -- The global log after a position, at most max_count events, each marked settled or not (see above).
  -- VOLATILE: each statement takes its own snapshot, in this order.
  CREATE OR REPLACE FUNCTION ${ident(schema)}.read_events(after bigint, max_count int)
  RETURNS TABLE (global_position bigint, event_id uuid, stream_id text, stream_version int, type text,
                 schema_version int, partner_id text, data jsonb, metadata jsonb, recorded_at timestamptz, settled boolean)
  LANGUAGE plpgsql VOLATILE AS $fn$
  DECLARE
    horizon bigint;
    bound bigint;
  BEGIN
    SELECT CASE WHEN s.is_called THEN s.last_value ELSE 0 END INTO horizon
      FROM ${events}_global_position_seq s;
    -- One reading of the lock table for both: the appends to this store in flight, and their first positions
    -- (none in flight: least() ignores the null minimum, and the bound is the horizon).
    WITH locks AS MATERIALIZED (
           SELECT l.pid, l.classid, l.objid, l.objsubid FROM pg_locks l
            WHERE l.locktype = 'advisory' AND l.granted
              AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())),
         firsts AS (
           SELECT l.pid, min(((l.classid::bigint << 32) | l.objid::bigint) - ${positionLockBase(schema)}::bigint) AS first
             FROM locks l WHERE l.objsubid = 1 AND l.classid::bigint >> 16 = ${positionLockTag(schema)} GROUP BY l.pid)
    SELECT CASE WHEN bool_or(f.first IS NULL) THEN after ELSE least(horizon, min(f.first) - 1) END INTO bound
      FROM locks i LEFT JOIN firsts f ON f.pid = i.pid
     WHERE i.classid = ${IN_FLIGHT_CLASS} AND i.objid = ${inFlightKey(schema)} AND i.objsubid = 2;
    RETURN QUERY
    SELECT e.global_position, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.partner_id,
           e.data, e.metadata, e.recorded_at, e.global_position <= bound
      FROM ${events} e WHERE e.global_position > after ORDER BY e.global_position LIMIT max_count;
  END $fn$;`;
}

/** Advisory lock ids (two int4 keys, positive so that they equal pg_locks' oid columns) of in-flight appends. */
const IN_FLIGHT_CLASS = 0x0da9;
const hashOf = (schema: string) =>
  parseInt(createHash('sha256').update(schema).digest('hex').slice(0, 7), 16);
const inFlightKey = hashOf;
/** The lock an append takes first, held to its end (exported for the test of a stalled append). */
export const inFlightLock = (schema: string) =>
  `pg_advisory_xact_lock_shared(${IN_FLIGHT_CLASS}, ${inFlightKey(schema)})`;
/**
 * The position an append drew first is published as one bigint advisory lock: its upper 16 bits a tag
 * of the store (1..0x7ffe, never 0 or 0xffff, which `hashtext` locks of other code sign-extend to), the
 * lower 48 bits the position.
 */
const positionLockTag = (schema: string) => 1 + (hashOf(`${schema}:position`) % 0x7ffe);
const positionLockBase = (schema: string) => (BigInt(positionLockTag(schema)) << 48n).toString();

interface EventRow {
  global_position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  partner_id: string | null;
  data: unknown;
  metadata: { actor: EventEnvelope['actor']; correlationId?: string; causationId?: string };
  recorded_at: Date;
}

/** How many times a read waits (about a millisecond each) for appends in flight to end. */
const SETTLE_ATTEMPTS = 200;

const COLUMNS = `global_position, event_id, stream_id, stream_version, type, schema_version, partner_id, data, metadata, recorded_at`;

/**
 * The `sql` event store on PostgreSQL. An append is one statement (`append_events`, one round trip,
 * its own transaction); a read of the global log is one (`read_events`), and stops below the appends
 * in flight, so that a late commit is never skipped (see `eventStoreDdl`).
 */
export class SqlEventStore implements EventStore {
  private readonly table: string;
  private readonly signal;
  /** The statements every command and consumer batch runs, planned once per connection. */
  private readonly sql: Record<'forward' | 'backward' | 'streams' | 'append' | 'readAll', PreparedText>;

  constructor(
    private readonly db: SqlClient,
    readonly name: string,
    private readonly upcasters: Upcasters = {},
  ) {
    this.table = `${ident(name)}.events`;
    this.signal = appendSignalFor(`sql:${name}`);
    const stream = (cmp: string, order: string) =>
      prepared(`SELECT ${COLUMNS} FROM ${this.table}
        WHERE stream_id = $1 AND stream_version ${cmp} $2 ORDER BY stream_version ${order} LIMIT $3`);
    this.sql = {
      forward: stream('>=', 'ASC'),
      backward: stream('<=', 'DESC'),
      streams: prepared(
        `SELECT ${COLUMNS} FROM ${this.table} WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
      ),
      append: prepared(
        `SELECT event_id, global_position, stream_version FROM ${ident(name)}.append_events($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11)`,
      ),
      readAll: prepared(`SELECT * FROM ${ident(name)}.read_events($1, $2)`),
    };
  }

  /** Creates the store's schema and tables if they do not exist. */
  async migrate(): Promise<this> {
    await migrate(this.db, eventStoreDdl(this.name));
    return this;
  }

  async readStream(
    streamId: string,
    { direction = 'forward', fromVersion, maxCount }: ReadStreamOptions = {},
  ) {
    const forward = direction === 'forward';
    const rows = await this.db.query<EventRow>(forward ? this.sql.forward : this.sql.backward, [
      streamId,
      fromVersion ?? (forward ? 1 : 2 ** 31 - 1),
      maxCount ?? 2 ** 31 - 1,
    ]);
    return rows.map((row) => this.toEnvelope(row));
  }

  async readStreams(streamIds: string[]): Promise<Map<string, EventEnvelope[]>> {
    const streams = new Map(streamIds.map((id) => [id, [] as EventEnvelope[]]));
    const rows = await this.db.query<EventRow>(this.sql.streams, [streamIds]);
    for (const row of rows) streams.get(row.stream_id)!.push(this.toEnvelope(row));
    return streams;
  }

  appendToStream(
    streamId: string,
    events: NewEvent[],
    expectedVersion: ExpectedVersion,
    metadata: AppendMetadata,
  ) {
    return this.appendToStreams([{ streamId, events, expectedVersion }], metadata);
  }

  async appendToStreams(appends: StreamAppend[], metadata: AppendMetadata): Promise<AppendResult> {
    const time = metadata.time ?? new Date();
    const meta = {
      actor: metadata.actor,
      ...(metadata.correlationId && { correlationId: metadata.correlationId }),
      ...(metadata.causationId && { causationId: metadata.causationId }),
    };
    const streams = appends.map((a) => a.streamId);
    if (new Set(streams).size !== streams.length)
      throw new Error('appendToStreams takes each stream once (merge its events into one append)');
    // One row per event, in order: which append (1-based) it belongs to and its place in it.
    const rowsIn = appends.flatMap((a, k) =>
      a.events.map((event, i) => ({ k, seq: i + 1, event, id: event.id ?? randomUUID() })),
    );
    const expected = appends.map((a) => (a.expectedVersion === 'any' ? null : a.expectedVersion));
    let rows: { event_id: string; global_position: number; stream_version: number }[];
    try {
      rows = await this.db.query(this.sql.append, [
        streams,
        expected,
        rowsIn.map((r) => r.k + 1),
        rowsIn.map((r) => r.seq),
        rowsIn.map((r) => r.id),
        rowsIn.map((r) => r.event.type),
        rowsIn.map((r) => r.event.schemaVersion ?? 1),
        // One JSON array of the payloads: a jsonb[] of 10,000 of them took ~350 ms to bind, this ~50 ms.
        JSON.stringify(rowsIn.map((r) => r.event.data)),
        metadata.partnerId ?? null,
        JSON.stringify(meta),
        time,
      ]);
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 23505: the version was taken by a concurrent writer; DAP09: the stream is not at the expected version.
      if (code === '23505' || code === 'DAP09') {
        const streamId =
          code === 'DAP09' ? ((error as { detail?: string }).detail ?? streams[0]) : streams[0];
        const expectedVersion = appends.find((a) => a.streamId === streamId)?.expectedVersion;
        throw new ConcurrencyError(streamId, typeof expectedVersion === 'number' ? expectedVersion : -1, -1);
      }
      throw error;
    }
    const stored = new Map(rows.map((r) => [r.event_id, r]));
    const events = rowsIn
      .map(({ k, event, id }) => {
        const row = stored.get(id)!;
        const at = { ...metadata, time };
        return envelopeOf(
          this.name,
          streams[k],
          row.stream_version,
          { ...event, id },
          at,
          row.global_position,
        );
      })
      .sort((x, y) => x.globalPosition - y.globalPosition);
    const lastStream = streams[streams.length - 1];
    const result: AppendResult = {
      streamVersion:
        events.filter((e) => e.subject === lastStream).at(-1)?.streamVersion ??
        (typeof appends.at(-1)!.expectedVersion === 'number'
          ? (appends.at(-1)!.expectedVersion as number)
          : 0),
      globalPosition: events.length ? events[events.length - 1].globalPosition : 0,
      events,
    };
    this.signal.emit(result.globalPosition);
    return result;
  }

  /**
   * Returns only settled events: none of them can have an unseen event below it (`read_events`, one
   * round trip: below the first position of every append to this store in flight). Events held back
   * are retried for a moment, since appends in flight are short.
   */
  async readAll(after: number, maxCount: number): Promise<EventEnvelope[]> {
    for (let attempt = 1; ; attempt++) {
      const rows = await this.db.query<EventRow & { settled: boolean }>(this.sql.readAll, [after, maxCount]);
      const unsettled = rows.findIndex((row) => !row.settled);
      if (unsettled === -1) return rows.map((row) => this.toEnvelope(row));
      if (unsettled > 0 || attempt >= SETTLE_ATTEMPTS)
        return rows.slice(0, unsettled).map((row) => this.toEnvelope(row));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  async headPosition(): Promise<number> {
    const [row] = await this.db.query<{ head: number | null }>(
      `SELECT max(global_position) AS head FROM ${this.table}`,
    );
    return Number(row?.head ?? 0);
  }

  onAppended(listener: (position: number) => void): () => void {
    return this.signal.on(listener);
  }

  private toEnvelope(row: EventRow): EventEnvelope {
    const base = envelopeOf(
      this.name,
      row.stream_id,
      row.stream_version,
      { id: row.event_id, type: row.type, schemaVersion: row.schema_version, data: row.data },
      {
        actor: row.metadata.actor,
        partnerId: row.partner_id ?? undefined,
        correlationId: row.metadata.correlationId,
        causationId: row.metadata.causationId,
        time: new Date(row.recorded_at),
      },
      Number(row.global_position),
    );
    return { ...base, ...upcast(this.upcasters, row.type, row.schema_version, row.data) };
  }
}
