import type { EventEnvelope, RoleAssigned, RoleRevoked } from '@dap/contracts';
import { prepared, type SqlExecutor } from '@dap/eventsourcing';
import { setWiseRuns, type EventConsumer } from '@dap/messaging';

/**
 * The partner's users and their delegated roles (null after a revocation: the user stays listed). A
 * run of role changes touching distinct users is one statement; a row changes only for a later event.
 */
export const partnerUsersProjection: EventConsumer = {
  name: 'consent.partner-users',
  sources: ['consent'],
  types: ['RoleAssigned', 'RoleRevoked'],
  handle(event: EventEnvelope, tx: SqlExecutor) {
    return this.handleBatch!([event], tx);
  },
  async handleBatch(events: EventEnvelope[], tx: SqlExecutor) {
    const userOf = (e: EventEnvelope) => {
      const d = e.data as RoleAssigned | RoleRevoked;
      return `${d.partnerId}/${d.userId}`;
    };
    for (const run of setWiseRuns(events, userOf)) {
      const rows = run.map((event) => {
        const d = event.data as RoleAssigned | RoleRevoked;
        const assigned = event.type === 'RoleAssigned' ? (d as RoleAssigned) : undefined;
        return {
          partner_id: d.partnerId,
          user_id: d.userId,
          role: assigned?.role ?? null,
          since: event.time,
          changed_by: assigned ? assigned.assignedBy : (d as RoleRevoked).revokedBy,
          stream_version: event.streamVersion,
          last_position: event.globalPosition,
        };
      });
      await tx.query(
        prepared(`INSERT INTO consent.partner_users AS p (partner_id, user_id, role, since, changed_by, stream_version, last_position)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS u(partner_id text, user_id text, role text, since timestamptz,
                changed_by text, stream_version int, last_position bigint)
         ON CONFLICT (partner_id, user_id) DO UPDATE SET role = EXCLUDED.role, since = EXCLUDED.since,
           changed_by = EXCLUDED.changed_by, stream_version = EXCLUDED.stream_version, last_position = EXCLUDED.last_position
         WHERE p.last_position < EXCLUDED.last_position`),
        [JSON.stringify(rows)],
      );
    }
  },
};
