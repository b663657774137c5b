import type { DelegationGranted, DelegationRevoked, EventEnvelope } from '@dap/contracts';
import { prepared, type SqlExecutor } from '@dap/eventsourcing';
import { setWiseRuns, type EventConsumer } from '@dap/messaging';

export const PARTNER_CLIENTS_CONSUMER = 'health.partner-clients';

/**
 * Which clients each partner may see the health of: those whose delegation to it is active. Fed by
 * consent's delegation events; a row per delegation, changed only by a later event (so a replay or
 * a redelivery changes nothing).
 */
export const partnerClientsProjection: EventConsumer = {
  name: PARTNER_CLIENTS_CONSUMER,
  sources: ['consent'],
  types: ['DelegationGranted', 'DelegationRevoked', 'DelegationExpired'],
  handle(event: EventEnvelope, tx: SqlExecutor) {
    return this.handleBatch!([event], tx);
  },
  /** A run of events on distinct delegations is one statement. */
  async handleBatch(events: EventEnvelope[], tx: SqlExecutor) {
    const delegationOf = (e: EventEnvelope) => (e.data as DelegationGranted).delegationId;
    for (const run of setWiseRuns(events, delegationOf)) {
      const rows = run.map((event) => {
        const data = event.data as DelegationGranted | DelegationRevoked;
        return {
          delegation_id: data.delegationId,
          partner_id: data.partnerId,
          client_id: data.clientId,
          active: event.type === 'DelegationGranted',
          position: event.globalPosition,
        };
      });
      await tx.query(
        prepared(`INSERT INTO health.partner_clients AS p (delegation_id, partner_id, client_id, active, position)
         SELECT * FROM jsonb_to_recordset($1::jsonb)
                AS u(delegation_id text, partner_id text, client_id text, active boolean, position bigint)
         ON CONFLICT (delegation_id) DO UPDATE SET active = EXCLUDED.active, position = EXCLUDED.position
         WHERE p.position < EXCLUDED.position`),
        [JSON.stringify(rows)],
      );
    }
  },
};
