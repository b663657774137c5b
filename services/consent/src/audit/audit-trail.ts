import { invalid, notFound, type EventStore, type SqlClient } from '@dap/eventsourcing';
import { accessSnapshot, type AccessRecord } from '../domain/access-snapshot.js';
import { decodeCursor, encodeCursor, pageLimit } from '../application/cursor.js';
import { verifyAuditChain } from './audit-verifier.js';

/** Who may read what: one partner's records, or (platform.auditor) everyone's. */
export interface AuditScope {
  partnerId: string | null;
}

export interface AccessEventQuery {
  clientId?: string;
  userId?: string;
  partnerId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

const instant = (value: string | undefined, field: string): string | undefined => {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time))
    throw invalid(`${field} must be an ISO-8601 date-time`, field);
  return new Date(time).toISOString();
};

/** The audit API: the trail in store order with its hashes, snapshots by replay, verification. */
export class AuditTrail {
  constructor(
    private readonly store: EventStore,
    private readonly db: SqlClient,
  ) {}

  /** A partner asking about a client it never had a delegation with gets 404, as for an unknown id. */
  private async assertClientVisible(scope: AuditScope, clientId: string): Promise<void> {
    if (scope.partnerId === null) return;
    const [row] = await this.db.query(
      `SELECT 1 FROM consent.audit_chain WHERE client_id = $1 AND partner_id = $2 LIMIT 1`,
      [clientId, scope.partnerId],
    );
    if (!row) throw notFound('client');
  }

  async accessEvents(scope: AuditScope, query: AccessEventQuery) {
    const limit = pageLimit(query.limit);
    const after = decodeCursor(query.cursor, 1);
    const params: unknown[] = [];
    const where: string[] = [];
    const partner = scope.partnerId ?? query.partnerId;
    if (partner) where.push(`partner_id = $${params.push(partner)}`);
    if (query.clientId) {
      await this.assertClientVisible(scope, query.clientId);
      where.push(`client_id = $${params.push(query.clientId)}`);
    }
    if (query.userId) where.push(`user_id = $${params.push(query.userId)}`);
    const from = instant(query.from, 'from');
    const to = instant(query.to, 'to');
    if (from) where.push(`time >= $${params.push(from)}`);
    if (to) where.push(`time <= $${params.push(to)}`);
    if (after) where.push(`position > $${params.push(after[0])}`);
    const rows = await this.db.query<{ record: any; hash: string; position: number }>(
      `SELECT record, hash, position FROM consent.audit_chain ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY position LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit).map((r) => toAccessEvent(r.record, r.hash));
    const last = rows[Math.min(rows.length, limit) - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor([Number(last.position)]) : null };
  }

  /**
   * Who could administer `clientId` at `at`, by replaying the audit records of that client, and the
   * role records of partners that ever held a delegation of it, up to that instant.
   */
  async snapshot(scope: AuditScope, clientId: string, at: string) {
    if (!clientId) throw invalid('clientId is required', 'clientId');
    const when = instant(at, 'at');
    if (!when) throw invalid('at is required', 'at');
    await this.assertClientVisible(scope, clientId);
    const params: unknown[] = [clientId, when];
    const partnerFilter = scope.partnerId === null ? '' : `AND partner_id = $${params.push(scope.partnerId)}`;
    const rows = await this.db.query<{ record: AccessRecord }>(
      `SELECT record FROM consent.audit_chain
        WHERE time <= $2 ${partnerFilter}
          AND (client_id = $1 OR (type LIKE 'Role%' AND partner_id IN (
                SELECT partner_id FROM consent.audit_chain WHERE client_id = $1 AND type = 'DelegationGranted')))
        ORDER BY position`,
      params,
    );
    const entries = accessSnapshot(
      rows.map((r) => r.record),
      clientId,
      new Date(when),
    );
    return { clientId, at: when, entries };
  }

  verify() {
    return verifyAuditChain(this.store, this.db);
  }
}

/** One audit event as the API and the replay tool print it. */
export const toAccessEvent = (record: any, hash: string) => ({
  position: record.globalPosition,
  id: record.id,
  type: record.type,
  subject: record.subject,
  time: record.time,
  actor: record.actor,
  partnerId: record.data?.partnerId ?? null,
  clientId: record.data?.clientId ?? null,
  userId: record.data?.userId ?? null,
  data: record.data,
  hash,
});
