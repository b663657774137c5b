import type {
  DelegationExtended,
  DelegationGranted,
  DelegationRevoked,
  EventEnvelope,
  RoleAssigned,
  RoleRevoked,
} from '@dap/contracts';
import type { SqlExecutor } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';

export const ACCESS_CONSUMER = 'service-request.access';

const STATUS_AFTER: Record<string, string> = {
  DelegationGranted: 'active',
  DelegationRevoked: 'revoked',
  DelegationExpired: 'expired',
};

/**
 * What the service needs to decide who may open a service request: each delegation's status, roles
 * and expiry, and each partner user's delegated role. Rows change only on a later event (consent
 * store position), so redeliveries and replays leave the same state. Consent is never called.
 */
export const accessProjection: EventConsumer = {
  name: ACCESS_CONSUMER,
  sources: ['consent'],
  types: [
    'DelegationGranted',
    'DelegationRevoked',
    'DelegationExpired',
    'DelegationExtended',
    'RoleAssigned',
    'RoleRevoked',
  ],
  async handle(event: EventEnvelope, tx: SqlExecutor) {
    const position = event.globalPosition;
    switch (event.type) {
      case 'DelegationGranted': {
        const d = event.data as DelegationGranted;
        await tx.query(
          `INSERT INTO "service-request".delegations (delegation_id, partner_id, client_id, status, granted_roles, expires_at, position)
           VALUES ($1, $2, $3, 'active', $4, $5, $6)
           ON CONFLICT (delegation_id) DO UPDATE SET status = 'active', granted_roles = EXCLUDED.granted_roles,
             expires_at = EXCLUDED.expires_at, position = EXCLUDED.position
           WHERE delegations.position < EXCLUDED.position`,
          [
            d.delegationId,
            d.partnerId,
            d.clientId,
            JSON.stringify(d.grantedRoles),
            d.expiresAt ?? null,
            position,
          ],
        );
        return;
      }
      case 'DelegationRevoked':
      case 'DelegationExpired': {
        const d = event.data as DelegationRevoked;
        await tx.query(
          `INSERT INTO "service-request".delegations (delegation_id, partner_id, client_id, status, position)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (delegation_id) DO UPDATE SET status = EXCLUDED.status, position = EXCLUDED.position
           WHERE delegations.position < EXCLUDED.position`,
          [d.delegationId, d.partnerId, d.clientId, STATUS_AFTER[event.type], position],
        );
        return;
      }
      case 'DelegationExtended': {
        const d = event.data as DelegationExtended;
        await tx.query(
          `UPDATE "service-request".delegations SET expires_at = $2, position = $3 WHERE delegation_id = $1 AND position < $3`,
          [d.delegationId, d.expiresAt, position],
        );
        return;
      }
      case 'RoleAssigned':
      case 'RoleRevoked': {
        const d = event.data as RoleAssigned | RoleRevoked;
        const role = event.type === 'RoleAssigned' ? (d as RoleAssigned).role : null;
        await tx.query(
          `INSERT INTO "service-request".partner_roles (partner_id, user_id, role, position) VALUES ($1, $2, $3, $4)
           ON CONFLICT (partner_id, user_id) DO UPDATE SET role = EXCLUDED.role, position = EXCLUDED.position
           WHERE partner_roles.position < EXCLUDED.position`,
          [d.partnerId, d.userId, role, position],
        );
        return;
      }
    }
  },
};
