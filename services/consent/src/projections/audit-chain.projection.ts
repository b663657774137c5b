import type { EventEnvelope } from '@dap/contracts';
import type { SqlExecutor } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';
import { auditKeys, auditRecordOf, chainHash, GENESIS_HASH } from '../audit/audit-record.js';

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
 * already chained is left alone, so redelivery changes nothing.
 */
export const auditChainProjection: EventConsumer = {
  name: 'consent.audit-chain',
  sources: ['consent'],
  types: AUDIT_TYPES,
  async handle(event: EventEnvelope, tx: SqlExecutor) {
    const [existing] = await tx.query(`SELECT 1 FROM consent.audit_chain WHERE position = $1`, [
      event.globalPosition,
    ]);
    if (existing) return;
    const [previous] = await tx.query<{ hash: string }>(
      `SELECT hash FROM consent.audit_chain WHERE position < $1 ORDER BY position DESC LIMIT 1`,
      [event.globalPosition],
    );
    const record = auditRecordOf(event);
    const keys = auditKeys(record);
    await tx.query(
      `INSERT INTO consent.audit_chain (position, event_id, type, subject, time, partner_id, client_id, user_id, record, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (position) DO NOTHING`,
      [
        record.globalPosition,
        record.id,
        record.type,
        record.subject,
        record.time,
        keys.partnerId,
        keys.clientId,
        keys.userId,
        JSON.stringify(record),
        chainHash(previous?.hash ?? GENESIS_HASH, record),
      ],
    );
  },
};
