import type { DelegationGranted, DelegationRevoked, EventEnvelope } from '@dap/contracts';
import type { SqlExecutor } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';

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
  async handle(event: EventEnvelope, tx: SqlExecutor) {
    const data = event.data as DelegationGranted | DelegationRevoked;
    await tx.query(
      `INSERT INTO health.partner_clients (delegation_id, partner_id, client_id, active, position)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (delegation_id) DO UPDATE SET active = EXCLUDED.active, position = EXCLUDED.position
       WHERE partner_clients.position < EXCLUDED.position`,
      [
        data.delegationId,
        data.partnerId,
        data.clientId,
        event.type === 'DelegationGranted',
        event.globalPosition,
      ],
    );
  },
};
