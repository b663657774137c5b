import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@dap/contracts';
import { appendSignalFor } from '../append-signal.js';
import { checkExpectedVersion, envelopeOf } from '../envelope-builder.js';
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
import { ident, migrate, type SqlClient } from './sql-client.js';

/** DDL for one service's store: `<schema>.events`. */
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
    UNIQUE (stream_id, stream_version)
  );`;

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

const COLUMNS = `global_position, event_id, stream_id, stream_version, type, schema_version, partner_id, data, metadata, recorded_at`;

/**
 * The `sql` event store, on PostgreSQL or PGlite with the same SQL.
 *
 * Gap-free global order: every append takes one transaction-scoped advisory lock per store before it
 * draws positions, and PostgreSQL makes a commit visible before it releases the transaction's locks.
 * So positions become visible in increasing order, and a reader that has seen position p will never
 * later find a smaller one (no event committing late behind a reader's checkpoint). The price is that
 * appends to one store are serialised; each holds the lock only for its own short insert.
 */
export class SqlEventStore implements EventStore {
  private readonly table: string;
  private readonly signal;

  constructor(
    private readonly db: SqlClient,
    readonly name: string,
    private readonly upcasters: Upcasters = {},
  ) {
    this.table = `${ident(name)}.events`;
    this.signal = appendSignalFor(`sql:${name}`);
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
    const rows = await this.db.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table}
        WHERE stream_id = $1 AND stream_version ${forward ? '>=' : '<='} $2
        ORDER BY stream_version ${forward ? 'ASC' : 'DESC'} LIMIT $3`,
      [streamId, fromVersion ?? (forward ? 1 : 2 ** 31 - 1), maxCount ?? 2 ** 31 - 1],
    );
    return rows.map((row) => this.toEnvelope(row));
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
    const meta = JSON.stringify({
      actor: metadata.actor,
      ...(metadata.correlationId && { correlationId: metadata.correlationId }),
      ...(metadata.causationId && { causationId: metadata.causationId }),
    });
    let result: AppendResult;
    try {
      result = await this.db.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`dap:append:${this.name}`]);
        const ids = [...new Set(appends.map((a) => a.streamId))];
        const current = new Map(
          (
            await tx.query<{ stream_id: string; version: number }>(
              `SELECT stream_id, max(stream_version) AS version FROM ${this.table} WHERE stream_id = ANY($1) GROUP BY stream_id`,
              [ids],
            )
          ).map((r) => [r.stream_id, Number(r.version)]),
        );
        const rows: unknown[][] = [[], [], [], [], [], [], [], []];
        let streamVersion = 0;
        for (const a of appends) {
          let version = current.get(a.streamId) ?? 0;
          checkExpectedVersion(a.streamId, a.expectedVersion, version);
          for (const e of a.events) {
            version += 1;
            const values = [
              e.id ?? randomUUID(),
              a.streamId,
              version,
              e.type,
              e.schemaVersion ?? 1,
              metadata.partnerId ?? null,
              JSON.stringify(e.data),
              meta,
            ];
            values.forEach((v, i) => rows[i].push(v));
          }
          current.set(a.streamId, version);
          streamVersion = version;
        }
        const inserted = await tx.query<EventRow>(
          `INSERT INTO ${this.table} (event_id, stream_id, stream_version, type, schema_version, partner_id, data, metadata, recorded_at)
           SELECT e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.partner_id, e.data, e.metadata, $9::timestamptz
             FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::text[], $7::jsonb[], $8::jsonb[])
             WITH ORDINALITY AS e(event_id, stream_id, stream_version, type, schema_version, partner_id, data, metadata, n)
           ORDER BY n
           RETURNING ${COLUMNS}`,
          [...rows, time],
        );
        inserted.sort((a, b) => Number(a.global_position) - Number(b.global_position));
        const events = inserted.map((row) => this.toEnvelope(row, false));
        return {
          streamVersion,
          globalPosition: events.length ? events[events.length - 1].globalPosition : 0,
          events,
        };
      });
    } catch (error) {
      // A writer that bypassed the lock (or a unique id reused) still cannot overwrite: map to a conflict.
      if ((error as { code?: string }).code === '23505')
        throw new ConcurrencyError(appends[0].streamId, -1, -1);
      throw error;
    }
    this.signal.emit(result.globalPosition);
    return result;
  }

  async readAll(after: number, maxCount: number): Promise<EventEnvelope[]> {
    const rows = await this.db.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [after, maxCount],
    );
    return rows.map((row) => this.toEnvelope(row));
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

  private toEnvelope(row: EventRow, applyUpcasters = true): EventEnvelope {
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
    return applyUpcasters
      ? { ...base, ...upcast(this.upcasters, row.type, row.schema_version, row.data) }
      : base;
  }
}
