import type {
  DelegationExpired,
  DelegationExtended,
  DelegationGranted,
  DelegationRevoked,
  EventEnvelope,
} from '@dap/contracts';
import { prepared, type SqlExecutor } from '@dap/eventsourcing';
import { setWiseRuns, type EventConsumer } from '@dap/messaging';

/** The delegations, one row each, for lists, the expiry scheduler and mail. */
export const delegationListProjection: EventConsumer = {
  name: 'consent.delegations',
  sources: ['consent'],
  types: ['DelegationGranted', 'DelegationRevoked', 'DelegationExpired', 'DelegationExtended'],
  handle(event: EventEnvelope, tx: SqlExecutor) {
    return this.handleBatch!([event], tx);
  },
  /** A run of grants is one statement; the rarer events one at a time. */
  async handleBatch(events: EventEnvelope[], tx: SqlExecutor) {
    for (const run of setWiseRuns(events, (e) => (e.data as DelegationGranted).delegationId)) {
      if (run[0].type === 'DelegationGranted') await grants(run, tx);
      else for (const event of run) await applyOne(event, tx);
    }
  },
};

/** New delegations (a row already there, from a redelivery, is left as it is). */
const grants = (events: EventEnvelope[], tx: SqlExecutor) =>
  tx.query(
    prepared(`INSERT INTO consent.delegations (delegation_id, partner_id, client_id, offer_id, status, granted_roles, granted_by,
       granted_at, expires_at, period_start, auto_extend, client, includes, last_position, stream_version, notify_to)
     SELECT u.delegation_id, u.partner_id, u.client_id, u.offer_id, 'active', u.granted_roles, u.granted_by, u.granted_at,
            u.expires_at, u.granted_at, u.auto_extend, u.client, u.includes, u.last_position, u.stream_version, u.notify_to
       FROM jsonb_to_recordset($1::jsonb) AS u(delegation_id text, partner_id text, client_id text, offer_id text,
            granted_roles jsonb, granted_by text, granted_at timestamptz, expires_at timestamptz, auto_extend boolean,
            client jsonb, includes jsonb, last_position bigint, stream_version int, notify_to jsonb)
     ON CONFLICT (delegation_id) DO NOTHING`),
    [
      JSON.stringify(
        events.map((event) => {
          const d = event.data as DelegationGranted;
          return {
            delegation_id: d.delegationId,
            partner_id: d.partnerId,
            client_id: d.clientId,
            offer_id: d.offerId,
            granted_roles: d.grantedRoles,
            granted_by: d.grantedBy,
            granted_at: d.grantedAt ?? event.time,
            expires_at: d.expiresAt,
            auto_extend: d.autoExtend,
            client: d.client,
            includes: d.includes ?? {},
            last_position: event.globalPosition,
            stream_version: event.streamVersion,
            notify_to: d.partnerContacts ?? [],
          };
        }),
      ),
    ],
  );

async function applyOne(event: EventEnvelope, tx: SqlExecutor): Promise<void> {
  const newer = [event.globalPosition, event.streamVersion];
  switch (event.type) {
    case 'DelegationRevoked': {
      const d = event.data as DelegationRevoked;
      await tx.query(
        prepared(`UPDATE consent.delegations SET status = 'revoked', ended_at = $4, ended_by = $5, end_side = $6, end_reason = $7,
             last_position = $2, stream_version = $3 WHERE delegation_id = $1 AND last_position < $2`),
        [d.delegationId, ...newer, event.time, d.revokedBy, d.side, d.reason ?? null],
      );
      return;
    }
    case 'DelegationExpired': {
      const d = event.data as DelegationExpired;
      await tx.query(
        prepared(`UPDATE consent.delegations SET status = 'expired', ended_at = $4, last_position = $2, stream_version = $3
            WHERE delegation_id = $1 AND last_position < $2`),
        [d.delegationId, ...newer, d.expiredAt ?? event.time],
      );
      return;
    }
    case 'DelegationExtended': {
      const d = event.data as DelegationExtended;
      await tx.query(
        prepared(`UPDATE consent.delegations SET expires_at = $4, period_start = $5, last_position = $2, stream_version = $3
            WHERE delegation_id = $1 AND last_position < $2`),
        [d.delegationId, ...newer, d.expiresAt, d.previousExpiresAt ?? event.time],
      );
      return;
    }
  }
}
