import type { EventEnvelope } from '@dap/contracts';
import { prepared, type SqlExecutor } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';
import {
  auditKeys,
  auditRecordOf,
  chainHash,
  GENESIS_HASH,
  type AuditRecord,
} from '../audit/audit-record.js';

export const AUDIT_TYPES = [
  'DelegationGranted',
  'DelegationRevoked',
  'DelegationExpired',
  'DelegationExtended',
  'RoleAssigned',
  'RoleRevoked',
];

/**
 * Links each audit event into the hash chain, in store order, keeping a copy of the record it
 * covers: `GET /audit/verify` recomputes the chain from the events table and compares. A record
 * already chained is left alone, so redelivery changes nothing. A batch costs two statements: the
 * hashes it links to (the record before it and any of its own already chained), then one insert.
 */
export const auditChainProjection: EventConsumer = {
  name: 'consent.audit-chain',
  sources: ['consent'],
  types: AUDIT_TYPES,
  handle(event: EventEnvelope, tx: SqlExecutor) {
    return this.handleBatch!([event], tx);
  },
  async handleBatch(events: EventEnvelope[], tx: SqlExecutor) {
    const first = events[0].globalPosition;
    const last = events[events.length - 1].globalPosition;
    const known = await tx.query<{ position: number; hash: string }>(
      prepared(`(SELECT position, hash FROM consent.audit_chain WHERE position < $1 ORDER BY position DESC LIMIT 1)
       UNION ALL (SELECT position, hash FROM consent.audit_chain WHERE position BETWEEN $1 AND $2)`),
      [first, last],
    );
    const chained = new Map(known.map((r) => [Number(r.position), r.hash]));
    let previous = known.find((r) => Number(r.position) < first)?.hash ?? GENESIS_HASH;
    const rows = [];
    for (const event of events) {
      const stored = chained.get(event.globalPosition);
      if (stored !== undefined) {
        previous = stored;
        continue;
      }
      const record = auditRecordOf(event);
      previous = chainHash(previous, record);
      rows.push({
        position: record.globalPosition,
        event_id: record.id,
        type: record.type,
        subject: record.subject,
        time: record.time,
        ...auditKeysAsColumns(record),
        record,
        hash: previous,
      });
    }
    if (rows.length === 0) return;
    await tx.query(
      prepared(`INSERT INTO consent.audit_chain (position, event_id, type, subject, time, partner_id, client_id, user_id, record, hash)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(position bigint, event_id uuid, type text, subject text,
              time timestamptz, partner_id text, client_id text, user_id text, record jsonb, hash text)
       ON CONFLICT (position) DO NOTHING`),
      [JSON.stringify(rows)],
    );
  },
};

const auditKeysAsColumns = (record: AuditRecord) => {
  const keys = auditKeys(record);
  return { partner_id: keys.partnerId, client_id: keys.clientId, user_id: keys.userId };
};
