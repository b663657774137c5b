import type {
  DelegationExtended,
  DelegationGranted,
  DelegationRevoked,
  EventEnvelope,
  RoleAssigned,
  RoleRevoked,
} from '@dap/contracts';
import { prepared, type SqlExecutor } from '@dap/eventsourcing';
import { setWiseRuns, type EventConsumer } from '@dap/messaging';

export const ACCESS_CONSUMER = 'service-request.access';

const STATUS_AFTER: Record<string, string> = {
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
  handle(event: EventEnvelope, tx: SqlExecutor) {
    return this.handleBatch!([event], tx);
  },
  /** Grants and role changes on distinct rows go one run per statement; the rarer events one by one. */
  async handleBatch(events: EventEnvelope[], tx: SqlExecutor) {
    for (const run of setWiseRuns(events, rowOf)) {
      const setWise = SET_WISE[run[0].type];
      if (setWise) await setWise(run, tx);
      else for (const event of run) await applyOne(event, tx);
    }
  },
};

const rowOf = (e: EventEnvelope): string => {
  const d = e.data as { delegationId?: string; partnerId: string; userId?: string };
  return e.type.startsWith('Role') ? `user:${d.partnerId}/${d.userId}` : `delegation:${d.delegationId}`;
};

const json = (rows: unknown[]) => JSON.stringify(rows);

const grants = (events: EventEnvelope[], tx: SqlExecutor) =>
  tx.query(
    prepared(`INSERT INTO "service-request".delegations AS d (delegation_id, partner_id, client_id, status, granted_roles, expires_at, position)
     SELECT u.delegation_id, u.partner_id, u.client_id, 'active', u.granted_roles, u.expires_at, u.position
       FROM jsonb_to_recordset($1::jsonb) AS u(delegation_id text, partner_id text, client_id text, granted_roles jsonb,
            expires_at timestamptz, position bigint)
     ON CONFLICT (delegation_id) DO UPDATE SET status = 'active', granted_roles = EXCLUDED.granted_roles,
       expires_at = EXCLUDED.expires_at, position = EXCLUDED.position
     WHERE d.position < EXCLUDED.position`),
    [
      json(
        events.map((e) => {
          const d = e.data as DelegationGranted;
          return {
            delegation_id: d.delegationId,
            partner_id: d.partnerId,
            client_id: d.clientId,
            granted_roles: d.grantedRoles,
            expires_at: d.expiresAt ?? null,
            position: e.globalPosition,
          };
        }),
      ),
    ],
  );

const roles = (events: EventEnvelope[], tx: SqlExecutor) =>
  tx.query(
    prepared(`INSERT INTO "service-request".partner_roles AS r (partner_id, user_id, role, position)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS u(partner_id text, user_id text, role text, position bigint)
     ON CONFLICT (partner_id, user_id) DO UPDATE SET role = EXCLUDED.role, position = EXCLUDED.position
     WHERE r.position < EXCLUDED.position`),
    [
      json(
        events.map((e) => {
          const d = e.data as RoleAssigned | RoleRevoked;
          return {
            partner_id: d.partnerId,
            user_id: d.userId,
            role: e.type === 'RoleAssigned' ? (d as RoleAssigned).role : null,
            position: e.globalPosition,
          };
        }),
      ),
    ],
  );

const SET_WISE: Record<string, (events: EventEnvelope[], tx: SqlExecutor) => Promise<unknown>> = {
  DelegationGranted: grants,
  RoleAssigned: roles,
  RoleRevoked: roles,
};

/** Revocations, expiries and extensions, one at a time (set-wise ones are in SET_WISE). */
async function applyOne(event: EventEnvelope, tx: SqlExecutor): Promise<void> {
  const position = event.globalPosition;
  switch (event.type) {
    case 'DelegationRevoked':
    case 'DelegationExpired': {
      const d = event.data as DelegationRevoked;
      await tx.query(
        prepared(`INSERT INTO "service-request".delegations (delegation_id, partner_id, client_id, status, position)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (delegation_id) DO UPDATE SET status = EXCLUDED.status, position = EXCLUDED.position
           WHERE delegations.position < EXCLUDED.position`),
        [d.delegationId, d.partnerId, d.clientId, STATUS_AFTER[event.type], position],
      );
      return;
    }
    case 'DelegationExtended': {
      const d = event.data as DelegationExtended;
      await tx.query(
        prepared(
          `UPDATE "service-request".delegations SET expires_at = $2, position = $3 WHERE delegation_id = $1 AND position < $3`,
        ),
        [d.delegationId, d.expiresAt, position],
      );
      return;
    }
  }
}
