import type {
  DelegationExpired,
  DelegationExtended,
  DelegationGranted,
  DelegationRevoked,
  EventEnvelope,
} from '@dap/contracts';
import type { SqlExecutor } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';

/** The delegations, one row each, for lists, the expiry scheduler and mail. */
export const delegationListProjection: EventConsumer = {
  name: 'consent.delegations',
  sources: ['consent'],
  types: ['DelegationGranted', 'DelegationRevoked', 'DelegationExpired', 'DelegationExtended'],
  async handle(event: EventEnvelope, tx: SqlExecutor) {
    const newer = [event.globalPosition, event.streamVersion];
    switch (event.type) {
      case 'DelegationGranted': {
        const d = event.data as DelegationGranted;
        const grantedAt = d.grantedAt ?? event.time;
        await tx.query(
          `INSERT INTO consent.delegations (delegation_id, partner_id, client_id, offer_id, status, granted_roles, granted_by,
             granted_at, expires_at, period_start, auto_extend, client, includes, last_position, stream_version, notify_to)
           VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $7, $9, $10, $11, $12, $13, $14)
           ON CONFLICT (delegation_id) DO NOTHING`,
          [
            d.delegationId,
            d.partnerId,
            d.clientId,
            d.offerId,
            JSON.stringify(d.grantedRoles),
            d.grantedBy,
            grantedAt,
            d.expiresAt,
            d.autoExtend,
            JSON.stringify(d.client),
            JSON.stringify(d.includes ?? {}),
            ...newer,
            JSON.stringify(d.partnerContacts ?? []),
          ],
        );
        return;
      }
      case 'DelegationRevoked': {
        const d = event.data as DelegationRevoked;
        await tx.query(
          `UPDATE consent.delegations SET status = 'revoked', ended_at = $4, ended_by = $5, end_side = $6, end_reason = $7,
             last_position = $2, stream_version = $3 WHERE delegation_id = $1 AND last_position < $2`,
          [d.delegationId, ...newer, event.time, d.revokedBy, d.side, d.reason ?? null],
        );
        return;
      }
      case 'DelegationExpired': {
        const d = event.data as DelegationExpired;
        await tx.query(
          `UPDATE consent.delegations SET status = 'expired', ended_at = $4, last_position = $2, stream_version = $3
            WHERE delegation_id = $1 AND last_position < $2`,
          [d.delegationId, ...newer, d.expiredAt ?? event.time],
        );
        return;
      }
      case 'DelegationExtended': {
        const d = event.data as DelegationExtended;
        await tx.query(
          `UPDATE consent.delegations SET expires_at = $4, period_start = $5, last_position = $2, stream_version = $3
            WHERE delegation_id = $1 AND last_position < $2`,
          [d.delegationId, ...newer, d.expiresAt, d.previousExpiresAt ?? event.time],
        );
        return;
      }
    }
  },
};
