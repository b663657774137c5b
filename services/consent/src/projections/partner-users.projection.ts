import type { EventEnvelope, RoleAssigned, RoleRevoked } from '@dap/contracts';
import type { SqlExecutor } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';

/** The partner's users and their delegated roles (null after a revocation: the user stays listed). */
export const partnerUsersProjection: EventConsumer = {
  name: 'consent.partner-users',
  sources: ['consent'],
  types: ['RoleAssigned', 'RoleRevoked'],
  async handle(event: EventEnvelope, tx: SqlExecutor) {
    const d = event.data as RoleAssigned | RoleRevoked;
    const role = event.type === 'RoleAssigned' ? (d as RoleAssigned).role : null;
    const by = event.type === 'RoleAssigned' ? (d as RoleAssigned).assignedBy : (d as RoleRevoked).revokedBy;
    await tx.query(
      `INSERT INTO consent.partner_users (partner_id, user_id, role, since, changed_by, stream_version, last_position)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (partner_id, user_id) DO UPDATE SET role = EXCLUDED.role, since = EXCLUDED.since,
         changed_by = EXCLUDED.changed_by, stream_version = EXCLUDED.stream_version, last_position = EXCLUDED.last_position
       WHERE partner_users.last_position < EXCLUDED.last_position`,
      [d.partnerId, d.userId, role, event.time, by, event.streamVersion, event.globalPosition],
    );
  },
};
