import type { DelegatedRole } from '@dap/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { prepared, notFound, type SqlClient } from '@dap/eventsourcing';
import { ConsumerProgress } from '@dap/messaging';
import { SQL_CLIENT } from '@dap/platform';
import { table } from '../projections/client-directory.schema.js';
import { ClientListProjection } from '../projections/client-list.projection.js';
import { adminCentersFor, type AdminCenterTemplate } from './admin-centers.js';
import { ADMIN_CENTERS } from './client-directory.store.js';
import { csvRow, csvLine, CSV_HEADER } from './client-csv.js';
import type { ListClientsParams } from './client-list.types.js';
import { ClientListCache } from './client-list.cache.js';
import { ACTIVITY_COLUMNS, itemOf, listClients } from './list-clients.query.js';
import { CLIENT_DIRECTORY } from '../projections/client-directory.schema.js';

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/**
 * How many of a client's open service requests its details embed: the most recent. The row's
 * `openServiceRequests` counts them all, and `GET /service-requests?clientId=` pages through them.
 * Unbounded, the details of a client with 2,000 open requests were 400 kB and took 29 ms to read.
 */
export const DETAILS_SERVICE_REQUESTS = 50;

/** Reads of the client management list; a partner only ever sees clients with an active delegation to it. */
/**
 * One row by its key. The status is checked here, not in SQL: with `delegation_status = 'active'` in
 * the query, a planner without statistics yet (a new table before autovacuum analyzed it) took a
 * partial sort index that matches the predicate and walked all the partner's rows (18 ms at 100,000)
 * instead of the primary key.
 */
const isActive = (row: { delegation_status?: string } | undefined): boolean =>
  row?.delegation_status === 'active';

@Injectable()
export class ClientQueries {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(ADMIN_CENTERS) private readonly templates: AdminCenterTemplate[],
    @Inject(ConsumerProgress) private readonly progress: ConsumerProgress,
    @Inject(ClientListCache) private readonly cache: ClientListCache,
  ) {}

  /** A page of the list as JSON text (served from the cache while the list has not moved). */
  listJson(params: ListClientsParams): Promise<string> {
    return this.cache.get(params, async () => JSON.stringify(await listClients(this.db, params)));
  }

  /** The whole filtered list as CSV, page by page. */
  async *csv(params: ListClientsParams): AsyncGenerator<string> {
    yield csvLine(CSV_HEADER);
    let cursor: string | undefined;
    do {
      const page = await listClients(this.db, { ...params, limit: 200, cursor, withTotal: false });
      yield page.items.map(csvRow).join('');
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** The row, if the partner has an active delegation from the client; null otherwise. */
  async row(partnerId: string, clientId: string) {
    const [row] = await this.db.query<any>(
      prepared(
        `SELECT l.*, ${ACTIVITY_COLUMNS} FROM ${table('client_list')} l JOIN ${table('client_activity')} a USING (partner_id, client_id)
          WHERE partner_id = $1 AND client_id = $2 AND l.delegation_status = 'active'`,
      ),
      [partnerId, clientId],
    );
    return row ?? null;
  }

  /** The details as a command left them: waits (briefly, in process) for the list to reach its position. */
  async detailsAfter(partnerId: string, clientId: string, position: number | null) {
    if (position !== null)
      await this.progress.waitFor([ClientListProjection.NAME], CLIENT_DIRECTORY, position, 5000);
    return this.details(partnerId, clientId);
  }

  /**
   * The row with its subscriptions, active health issues and most recent open service requests
   * ({@link DETAILS_SERVICE_REQUESTS}), in one round trip.
   */
  async details(partnerId: string, clientId: string) {
    const [row] = await this.db.query<any>(
      prepared(`SELECT l.*, ${ACTIVITY_COLUMNS},
         (SELECT coalesce(json_agg(s ORDER BY s.subscription_id), '[]') FROM (
            SELECT subscription_id, product_id, name, quantity, status, delegation_id FROM ${table('client_subscriptions')}
             WHERE partner_id = l.partner_id AND client_id = l.client_id AND NOT removed) s) AS details_subscriptions,
         (SELECT coalesce(json_agg(h ORDER BY h.classification DESC, h.start_date_time DESC, h.issue_id), '[]') FROM (
            SELECT issue_id, service, feature, classification, title, impact_description, status, start_date_time, last_message
              FROM ${table('health_issues')} WHERE client_id = l.client_id AND active) h) AS details_issues,
         (SELECT coalesce(json_agg(r ORDER BY r.created_at DESC, r.request_id), '[]') FROM (
            SELECT request_id, title, severity, status, created_at, updated_at FROM ${table('service_requests')}
             WHERE partner_id = l.partner_id AND client_id = l.client_id AND status <> 'closed'
             ORDER BY created_at DESC, request_id LIMIT ${DETAILS_SERVICE_REQUESTS}) r) AS details_requests
         FROM ${table('client_list')} l JOIN ${table('client_activity')} a USING (partner_id, client_id)
        WHERE l.partner_id = $1 AND l.client_id = $2`),
      [partnerId, clientId],
    );
    if (!isActive(row)) throw notFound('client');
    const subscriptions: any[] = row.details_subscriptions;
    const issues: any[] = row.details_issues;
    const requests: any[] = row.details_requests;
    const view = {
      ...itemOf(row),
      address: row.address,
      autoExtend: row.auto_extend,
      subscriptions: subscriptions.map((s) => ({
        subscriptionId: s.subscription_id,
        productId: s.product_id,
        name: s.name,
        quantity: s.quantity,
        status: s.status,
        ...(s.delegation_id && { bundledWithDelegation: s.delegation_id }),
      })),
      adminCenters: adminCentersFor(this.templates, row.client_id, row.primary_domain),
      healthIssues: issues.map((h) => ({
        issueId: h.issue_id,
        service: h.service,
        feature: h.feature ?? undefined,
        classification: h.classification,
        title: h.title,
        impactDescription: h.impact_description,
        status: h.status,
        startDateTime: iso(h.start_date_time),
        lastMessage: h.last_message ?? undefined,
      })),
      serviceRequests: requests.map((r) => ({
        requestId: r.request_id,
        title: r.title,
        severity: r.severity,
        status: r.status,
        createdAt: iso(r.created_at),
        updatedAt: iso(r.updated_at),
      })),
      version: row.profile_version as number,
    };
    return view;
  }

  /** The partner user's delegated role on this client: its assigned role capped by the delegation's roles. */
  /** The delegated role the partner admin assigned to the user (from RoleAssigned/RoleRevoked), if any. */
  async assignedRole(partnerId: string, userId: string): Promise<DelegatedRole | null> {
    const [r] = await this.db.query<{ role: DelegatedRole | null }>(
      prepared(`SELECT role FROM ${table('partner_user_roles')} WHERE partner_id = $1 AND user_id = $2`),
      [partnerId, userId],
    );
    return r?.role ?? null;
  }
}
