import type { SqlExecutor } from '@dap/eventsourcing';
import { table } from './client-directory.schema.js';

/** Re-derives name, address and tags of a list row from the snapshot and the partner's profile. */
export async function refreshProfile(tx: SqlExecutor, partnerId: string, clientId: string): Promise<void> {
  await tx.query(
    `UPDATE ${table('client_list')} l
        SET name = coalesce(p.name, l.snapshot_name), sort_name = lower(coalesce(p.name, l.snapshot_name)),
            address = coalesce(p.address, l.snapshot_address), tags = coalesce(p.tags, '{}'), profile_version = p.version
       FROM ${table('client_profiles')} p
      WHERE l.partner_id = $1 AND l.client_id = $2 AND p.partner_id = l.partner_id AND p.client_id = l.client_id`,
    [partnerId, clientId],
  );
}

/** Recounts a client's active health issues into every partner's row of it. */
export async function refreshHealth(tx: SqlExecutor, clientId: string): Promise<void> {
  await tx.query(
    `UPDATE ${table('client_list')} l
        SET active_incidents = h.incidents, active_advisories = h.advisories,
            health_rank = CASE WHEN h.incidents > 0 THEN 0 WHEN h.advisories > 0 THEN 1 ELSE 2 END
       FROM (SELECT count(*) FILTER (WHERE classification = 'incident')::int AS incidents,
                    count(*) FILTER (WHERE classification <> 'incident')::int AS advisories
               FROM ${table('health_issues')} WHERE client_id = $1 AND active) h
      WHERE l.client_id = $1
        AND (l.active_incidents, l.active_advisories) IS DISTINCT FROM (h.incidents, h.advisories)`,
    [clientId],
  );
}

/** Recounts the open (not closed) service requests of one partner for one client. */
export async function refreshServiceRequests(
  tx: SqlExecutor,
  partnerId: string,
  clientId: string,
): Promise<void> {
  await tx.query(
    `UPDATE ${table('client_list')} l
        SET open_service_requests = (SELECT count(*)::int FROM ${table('service_requests')} r
                                      WHERE r.partner_id = $1 AND r.client_id = $2 AND r.status <> 'closed')
      WHERE l.partner_id = $1 AND l.client_id = $2`,
    [partnerId, clientId],
  );
}
