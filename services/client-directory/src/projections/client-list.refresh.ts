import { prepared, type SqlExecutor } from '@dap/eventsourcing';
import { table } from './client-directory.schema.js';

/** (partner, client) pairs, as two parallel arrays for `unnest`. */
export interface ClientKeys {
  partnerIds: string[];
  clientIds: string[];
}

export const keysOf = (rows: { partnerId: string; clientId: string }[]): ClientKeys => ({
  partnerIds: rows.map((r) => r.partnerId),
  clientIds: rows.map((r) => r.clientId),
});

/**
 * The counts beside a list row (`client_activity`), as SQL fragments shared by the recounts below and
 * the INSERT of a new delegation's row: the client's active incidents and advisories (one row, for a
 * LATERAL join), the health rank `sort=health` orders by, and the partner's open service requests.
 */
export const healthCountsOf = (clientId: string) =>
  `(SELECT count(*) FILTER (WHERE i.classification = 'incident')::int AS incidents,
           count(*) FILTER (WHERE i.classification <> 'incident')::int AS advisories
      FROM ${table('health_issues')} i WHERE i.client_id = ${clientId} AND i.active)`;
export const healthRankOf = (counts: string) =>
  `CASE WHEN ${counts}.incidents > 0 THEN 0 WHEN ${counts}.advisories > 0 THEN 1 ELSE 2 END`;
export const openRequestsOf = (partnerId: string, clientId: string) =>
  `(SELECT count(*)::int FROM ${table('service_requests')} r
     WHERE r.partner_id = ${partnerId} AND r.client_id = ${clientId} AND r.status <> 'closed')`;

/** Re-derives name, address and tags of list rows from the snapshot and the profile; the name beside too. */
export async function refreshProfiles(tx: SqlExecutor, keys: ClientKeys): Promise<void> {
  if (keys.clientIds.length === 0) return;
  await tx.query(
    prepared(`WITH refreshed AS (
      UPDATE ${table('client_list')} l
        SET name = coalesce(p.name, l.snapshot_name), sort_name = lower(coalesce(p.name, l.snapshot_name)),
            address = coalesce(p.address, l.snapshot_address), tags = coalesce(p.tags, '{}'), profile_version = p.version
       FROM unnest($1::text[], $2::text[]) AS k(partner_id, client_id), ${table('client_profiles')} p
      WHERE l.partner_id = k.partner_id AND l.client_id = k.client_id
        AND p.partner_id = l.partner_id AND p.client_id = l.client_id
      RETURNING l.partner_id, l.client_id, l.sort_name)
      UPDATE ${table('client_activity')} a SET sort_name = r.sort_name FROM refreshed r
       WHERE a.partner_id = r.partner_id AND a.client_id = r.client_id AND a.sort_name <> r.sort_name`),
    [keys.partnerIds, keys.clientIds],
  );
}

/** Recounts clients' active health issues into every partner's row of them. */
export async function refreshHealth(tx: SqlExecutor, clientIds: string[]): Promise<void> {
  if (clientIds.length === 0) return;
  await tx.query(
    prepared(`UPDATE ${table('client_activity')} a
        SET active_incidents = h.incidents, active_advisories = h.advisories, health_rank = ${healthRankOf('h')}
       FROM (SELECT c.client_id, n.incidents, n.advisories
               FROM (SELECT DISTINCT unnest($1::text[]) AS client_id) c
              CROSS JOIN LATERAL ${healthCountsOf('c.client_id')} n) h
      WHERE a.client_id = h.client_id
        AND (a.active_incidents, a.active_advisories) IS DISTINCT FROM (h.incidents, h.advisories)`),
    [clientIds],
  );
}

/** Recounts the open (not closed) service requests of partners' clients. */
export async function refreshServiceRequests(tx: SqlExecutor, keys: ClientKeys): Promise<void> {
  if (keys.clientIds.length === 0) return;
  // Only rows whose count changes are written (a new delegation's row mostly keeps its 0).
  await tx.query(
    prepared(`UPDATE ${table('client_activity')} a SET open_service_requests = c.open
       FROM (SELECT k.partner_id, k.client_id, ${openRequestsOf('k.partner_id', 'k.client_id')} AS open
               FROM (SELECT DISTINCT * FROM unnest($1::text[], $2::text[])) AS k(partner_id, client_id)) c
      WHERE a.partner_id = c.partner_id AND a.client_id = c.client_id AND a.open_service_requests <> c.open`),
    [keys.partnerIds, keys.clientIds],
  );
}
