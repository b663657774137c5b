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
 * DDL for one service's store: `<schema>.events` and its append function.
 *
 * `transaction_id` is the appending transaction's id. Appends draw their transaction id and their
 * positions together, inside a lock held only for that (never while the rows are inserted, never
 * through COMMIT), so positions ascend with transaction ids. A reader returns only events whose
 * transaction is older than every transaction still running (`pg_snapshot_xmin`): each of them is
 * committed or rolled back, and so is every event below it. A reader that has seen position p
 * therefore never finds a smaller one later, while independent appends still insert and commit (and
 * flush) in parallel. Appends hold a shared in-flight lock to their end, so that readers wait only for
 * appends in flight (see `readAll`).
 */
export const eventStoreDdl = (schema: string) => `
  CREATE SCHEMA IF NOT EXISTS ${ident(schema)};
  CREATE TABLE IF NOT EXISTS ${ident(schema)}.events (
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
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    UNIQUE (stream_id, stream_version)
  );
  ALTER TABLE ${ident(schema)}.events ADD COLUMN IF NOT EXISTS transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id();
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
    lock_key constant bigint := hashtext(${literal(`dap:append:${schema}`)});
    behind text;
    positions bigint[];
  BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'an append must be the only write of its transaction' USING ERRCODE = 'DAP01';
    END IF;
    -- Held to the end of the transaction: readers tell in-flight appends from other transactions by it.
    PERFORM pg_advisory_xact_lock_shared(${IN_FLIGHT_CLASS}, ${inFlightKey(schema)});
    -- An exact expected version must exist (a higher one makes the insert collide on the unique key).
    SELECT u.s INTO behind FROM unnest(streams, expected) AS u(s, x)
     WHERE u.x > 0 AND NOT EXISTS (SELECT 1 FROM ${ident(schema)}.events e WHERE e.stream_id = u.s AND e.stream_version = u.x)
     LIMIT 1;
    IF behind IS NOT NULL THEN
      RAISE EXCEPTION 'stream % is behind its expected version', behind USING ERRCODE = 'DAP09', DETAIL = behind;
    END IF;
    -- Only the transaction id and the positions are drawn under the store's lock (so that they ascend
    -- together); the rows are inserted after it, in parallel with other appends.
    PERFORM pg_advisory_lock(lock_key);
    BEGIN
      PERFORM pg_current_xact_id();
      SELECT array_agg(p ORDER BY p) INTO positions
        FROM (SELECT nextval(${literal(`${ident(schema)}.events_global_position_seq`)}) AS p
                FROM generate_series(1, cardinality(ids))) g;
    EXCEPTION WHEN OTHERS OR QUERY_CANCELED THEN
      PERFORM pg_advisory_unlock(lock_key);
      RAISE;
    END;
    PERFORM pg_advisory_unlock(lock_key);
    RETURN QUERY
    INSERT INTO ${ident(schema)}.events AS t (global_position, event_id, stream_id, stream_version, type, schema_version, partner_id, data, metadata, recorded_at)
    SELECT positions[ev.n], ev.id, a.s, a.base + ev.seq, ev.t, ev.sv, partner, ev.d, meta, at
      FROM ROWS FROM (unnest(ids), unnest(types), unnest(schema_versions), jsonb_array_elements(datas), unnest(stream_of), unnest(seq))
           WITH ORDINALITY AS ev(id, t, sv, d, k, seq, n)
      JOIN (SELECT u.k, u.s, coalesce(u.x, (SELECT max(e.stream_version) FROM ${ident(schema)}.events e WHERE e.stream_id = u.s), 0) AS base
              FROM unnest(streams, expected) WITH ORDINALITY AS u(s, x, k)) a ON a.k = ev.k
     ORDER BY ev.n
    RETURNING t.event_id, t.global_position, t.stream_version;
  END $fn$;`;

/** Advisory lock ids (two int4 keys, positive so that they equal pg_locks' oid columns) of in-flight appends. */
const IN_FLIGHT_CLASS = 0x0da9;
const inFlightKey = (schema: string) =>
  parseInt(createHash('sha256').update(schema).digest('hex').slice(0, 7), 16);

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

/** The global log after $1, at most $2 events, each marked settled when older than every running transaction. */
const readAllSql = (table: string) =>
  `SELECT ${COLUMNS}, transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot())) AS settled
     FROM ${table} WHERE global_position > $1 ORDER BY global_position LIMIT $2`;

/**
 * The same, settled by the exact test: of the transactions running at the snapshot, only appends to
 * this store in flight (they hold its in-flight lock) or ones that ended since hold an event back.
 * Order matters: the snapshot (statement start), then the in-flight locks, then each xid's status: an
 * append that ends between the lock read and the status check still counts as a blocker.
 */
const readAllSettledSql = (table: string, store: string) =>
  `WITH snapshot AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
        appending AS MATERIALIZED (
          SELECT coalesce(array_agg(t.transactionid), '{}') AS xids
            FROM pg_locks a JOIN pg_locks t ON t.pid = a.pid AND t.locktype = 'transactionid'
           WHERE a.locktype = 'advisory' AND a.classid = ${IN_FLIGHT_CLASS} AND a.objid = ${inFlightKey(store)}
             AND a.objsubid = 2 AND a.granted),
        bound AS (
          SELECT coalesce(
            (SELECT min(x) FROM appending, snapshot, pg_snapshot_xip(snapshot.s) AS x
              WHERE xid(x) = ANY (appending.xids) OR pg_xact_status(x) <> 'in progress'),
            (SELECT pg_snapshot_xmax(s) FROM snapshot)) AS xid)
   SELECT ${COLUMNS}, transaction_id < (SELECT xid FROM bound) AS settled
     FROM ${table} WHERE global_position > $1 ORDER BY global_position LIMIT $2`;

/** How many times a read waits (about a millisecond each) for older transactions to finish. */
const SETTLE_ATTEMPTS = 200;

const COLUMNS = `global_position, event_id, stream_id, stream_version, type, schema_version, partner_id, data, metadata, recorded_at`;

/**
 * The `sql` event store on PostgreSQL. An append is one statement (`append_events`, one round trip,
 * its own transaction); reads of the global log stop below the oldest running transaction, so that a
 * late commit is never skipped (see `eventStoreDdl`).
 */
export class SqlEventStore implements EventStore {
  private readonly table: string;
  private readonly signal;
  /** The statements every command and consumer batch runs, planned once per connection. */
  private readonly sql: Record<
    'forward' | 'backward' | 'streams' | 'append' | 'readAll' | 'readAllSettled',
    PreparedText
  >;

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
      readAll: prepared(readAllSql(this.table)),
      readAllSettled: prepared(readAllSettledSql(this.table, name)),
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
   * Returns only settled events: none of them can have an unseen event below it. An event is settled
   * when every transaction that was running at the read's snapshot and might still be appending to this
   * store below it has ended. First the cheap test (older than every running transaction); when that
   * holds some back, the exact one: of the transactions running at the snapshot, only appends to this
   * store in flight (they hold the store's in-flight lock) or ones that ended since count. A long
   * transaction elsewhere on the server therefore does not hold readers back. What is still held back
   * is retried for a moment, since appends in flight are short.
   */
  async readAll(after: number, maxCount: number): Promise<EventEnvelope[]> {
    for (let attempt = 1; ; attempt++) {
      let rows = await this.db.query<EventRow & { settled: boolean }>(this.sql.readAll, [after, maxCount]);
      if (rows.every((row) => row.settled)) return rows.map((row) => this.toEnvelope(row));
      rows = await this.db.query<EventRow & { settled: boolean }>(this.sql.readAllSettled, [after, maxCount]);
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
