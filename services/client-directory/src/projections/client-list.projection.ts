import type {
  ClientProfileUpdated,
  DelegationExpired,
  DelegationExtended,
  DelegationGranted,
  DelegationRevoked,
  EventEnvelope,
  HealthIssueRaised,
  HealthIssueResolved,
  HealthIssueUpdated,
  RoleAssigned,
  RoleRevoked,
  ServiceRequestCreated,
  ServiceRequestStatusChanged,
  SubscriptionPayload,
} from '@dap/contracts';
import { isResolvedHealthStatus } from '@dap/contracts';
import type { SqlExecutor } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';
import { CLIENT_DIRECTORY, table } from './client-directory.schema.js';
import { refreshHealth, refreshProfile, refreshServiceRequests } from './client-list.refresh.js';

type Handler = (event: EventEnvelope<string, any>, tx: SqlExecutor) => Promise<void>;

async function delegationGranted(event: EventEnvelope<string, DelegationGranted>, tx: SqlExecutor) {
  const d = event.data;
  const grantedAt = d.grantedAt ?? event.time;
  const [row] = await tx.query(
    `INSERT INTO ${table('client_list')} AS l (partner_id, client_id, delegation_id, delegation_status, granted_roles, granted_at,
        expires_at, expires_sort, auto_extend, snapshot_name, snapshot_address, name, sort_name, primary_domain, sort_domain,
        address, consent_position)
     VALUES ($1, $2, $3, 'active', $4, $5, $6, coalesce($6::timestamptz, 'infinity'), $7, $8, $9, $8, lower($8), $10, lower($10), $9, $11)
     ON CONFLICT (partner_id, client_id) DO UPDATE SET
        delegation_id = EXCLUDED.delegation_id, delegation_status = 'active', granted_roles = EXCLUDED.granted_roles,
        granted_at = EXCLUDED.granted_at, expires_at = EXCLUDED.expires_at, expires_sort = EXCLUDED.expires_sort,
        auto_extend = EXCLUDED.auto_extend, snapshot_name = EXCLUDED.snapshot_name, snapshot_address = EXCLUDED.snapshot_address,
        name = EXCLUDED.name, sort_name = EXCLUDED.sort_name, primary_domain = EXCLUDED.primary_domain,
        sort_domain = EXCLUDED.sort_domain, address = EXCLUDED.address, consent_position = EXCLUDED.consent_position
      WHERE l.consent_position < EXCLUDED.consent_position
     RETURNING client_id`,
    [
      d.partnerId,
      d.clientId,
      d.delegationId,
      d.grantedRoles,
      grantedAt,
      d.expiresAt ?? null,
      d.autoExtend ?? false,
      d.client.name,
      JSON.stringify(d.client.address ?? null),
      d.client.primaryDomain,
      event.globalPosition,
    ],
  );
  if (!row) return;
  await refreshProfile(tx, d.partnerId, d.clientId);
  await refreshHealth(tx, d.clientId);
  await refreshServiceRequests(tx, d.partnerId, d.clientId);
}

const delegationEnded =
  (status: 'revoked' | 'expired'): Handler =>
  async (event: EventEnvelope<string, DelegationRevoked | DelegationExpired>, tx) => {
    await tx.query(
      `UPDATE ${table('client_list')} SET delegation_status = $2, consent_position = $3
      WHERE delegation_id = $1 AND consent_position < $3`,
      [event.data.delegationId, status, event.globalPosition],
    );
  };

async function delegationExtended(event: EventEnvelope<string, DelegationExtended>, tx: SqlExecutor) {
  await tx.query(
    `UPDATE ${table('client_list')} SET expires_at = $2, expires_sort = $2, consent_position = $3
      WHERE delegation_id = $1 AND consent_position < $3`,
    [event.data.delegationId, event.data.expiresAt, event.globalPosition],
  );
}

async function profileUpdated(event: EventEnvelope<string, ClientProfileUpdated>, tx: SqlExecutor) {
  const { partnerId, clientId, name, address, tags } = event.data;
  await tx.query(
    `INSERT INTO ${table('client_profiles')} AS p (partner_id, client_id, name, address, tags, version, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (partner_id, client_id) DO UPDATE SET
        name = coalesce(EXCLUDED.name, p.name), address = coalesce(EXCLUDED.address, p.address),
        tags = coalesce(EXCLUDED.tags, p.tags), version = EXCLUDED.version, position = EXCLUDED.position
      WHERE p.position < EXCLUDED.position`,
    [
      partnerId,
      clientId,
      name ?? null,
      address ? JSON.stringify(address) : null,
      tags ?? null,
      event.streamVersion,
      event.globalPosition,
    ],
  );
  await refreshProfile(tx, partnerId, clientId);
}

/** Subscriptions move the profile version too (it is the ETag of the client's details). */
async function touchProfile(event: EventEnvelope<string, SubscriptionPayload>, tx: SqlExecutor) {
  const { partnerId, clientId } = event.data;
  await tx.query(
    `INSERT INTO ${table('client_profiles')} AS p (partner_id, client_id, version, position) VALUES ($1, $2, $3, $4)
     ON CONFLICT (partner_id, client_id) DO UPDATE SET version = EXCLUDED.version, position = EXCLUDED.position
      WHERE p.position < EXCLUDED.position`,
    [partnerId, clientId, event.streamVersion, event.globalPosition],
  );
  await refreshProfile(tx, partnerId, clientId);
}

async function subscriptionSet(event: EventEnvelope<string, SubscriptionPayload>, tx: SqlExecutor) {
  const s = event.data;
  await tx.query(
    `INSERT INTO ${table('client_subscriptions')} AS s
        (partner_id, client_id, subscription_id, product_id, name, quantity, status, delegation_id, removed, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (partner_id, client_id, subscription_id) DO UPDATE SET
        product_id = EXCLUDED.product_id, name = EXCLUDED.name, quantity = EXCLUDED.quantity, status = EXCLUDED.status,
        delegation_id = EXCLUDED.delegation_id, removed = EXCLUDED.removed, position = EXCLUDED.position
      WHERE s.position < EXCLUDED.position`,
    [
      s.partnerId,
      s.clientId,
      s.subscriptionId,
      s.productId,
      s.name,
      s.quantity,
      s.status,
      s.delegationId ?? null,
      event.type === 'SubscriptionRemoved',
      event.globalPosition,
    ],
  );
  await touchProfile(event, tx);
}

async function healthIssueRaised(event: EventEnvelope<string, HealthIssueRaised>, tx: SqlExecutor) {
  const h = event.data;
  await tx.query(
    `INSERT INTO ${table('health_issues')} AS h (client_id, issue_id, service, feature, classification, title, impact_description,
        status, active, start_date_time, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (client_id, issue_id) DO UPDATE SET
        service = EXCLUDED.service, feature = EXCLUDED.feature, classification = EXCLUDED.classification, title = EXCLUDED.title,
        impact_description = EXCLUDED.impact_description, status = EXCLUDED.status, active = EXCLUDED.active,
        start_date_time = EXCLUDED.start_date_time, end_date_time = NULL, position = EXCLUDED.position
      WHERE h.position < EXCLUDED.position`,
    [
      h.clientId,
      h.issueId,
      h.service,
      h.feature ?? null,
      h.classification,
      h.title,
      h.impactDescription,
      h.status,
      !isResolvedHealthStatus(h.status),
      h.startDateTime,
      event.globalPosition,
    ],
  );
  await refreshHealth(tx, h.clientId);
}

async function healthIssueChanged(
  event: EventEnvelope<string, HealthIssueUpdated | HealthIssueResolved>,
  tx: SqlExecutor,
) {
  const h = event.data;
  const resolved = event.type === 'HealthIssueResolved' || isResolvedHealthStatus(h.status);
  await tx.query(
    `UPDATE ${table('health_issues')} SET status = $3, active = $4, last_message = coalesce($5, last_message),
            end_date_time = CASE WHEN $4 THEN NULL ELSE coalesce($6::timestamptz, end_date_time, $7::timestamptz) END, position = $8
      WHERE client_id = $1 AND issue_id = $2 AND position < $8`,
    [
      h.clientId,
      h.issueId,
      h.status,
      !resolved,
      (h as HealthIssueUpdated).message ?? null,
      (h as HealthIssueResolved).endDateTime ?? null,
      event.time,
      event.globalPosition,
    ],
  );
  await refreshHealth(tx, h.clientId);
}

async function serviceRequestCreated(event: EventEnvelope<string, ServiceRequestCreated>, tx: SqlExecutor) {
  const r = event.data;
  await tx.query(
    `INSERT INTO ${table('service_requests')} (request_id, partner_id, client_id, title, severity, status, created_at, updated_at, position)
     VALUES ($1, $2, $3, $4, $5, 'open', $6, $6, $7) ON CONFLICT (request_id) DO NOTHING`,
    [r.requestId, r.partnerId, r.clientId, r.title, r.severity, event.time, event.globalPosition],
  );
  await refreshServiceRequests(tx, r.partnerId, r.clientId);
}

async function serviceRequestStatusChanged(
  event: EventEnvelope<string, ServiceRequestStatusChanged>,
  tx: SqlExecutor,
) {
  const [row] = await tx.query<{ partner_id: string; client_id: string }>(
    `UPDATE ${table('service_requests')} SET status = $2, updated_at = $3, position = $4
      WHERE request_id = $1 AND position < $4 RETURNING partner_id, client_id`,
    [event.data.requestId, event.data.to, event.time, event.globalPosition],
  );
  if (row) await refreshServiceRequests(tx, row.partner_id, row.client_id);
}

async function roleChanged(event: EventEnvelope<string, RoleAssigned | RoleRevoked>, tx: SqlExecutor) {
  const role = event.type === 'RoleAssigned' ? (event.data as RoleAssigned).role : null;
  await tx.query(
    `INSERT INTO ${table('partner_user_roles')} AS r (partner_id, user_id, role, position) VALUES ($1, $2, $3, $4)
     ON CONFLICT (partner_id, user_id) DO UPDATE SET role = EXCLUDED.role, position = EXCLUDED.position
      WHERE r.position < EXCLUDED.position`,
    [event.data.partnerId, event.data.userId, role, event.globalPosition],
  );
}

const handlers: Record<string, Handler> = {
  DelegationGranted: delegationGranted,
  DelegationRevoked: delegationEnded('revoked'),
  DelegationExpired: delegationEnded('expired'),
  DelegationExtended: delegationExtended,
  RoleAssigned: roleChanged,
  RoleRevoked: roleChanged,
  ClientProfileUpdated: profileUpdated,
  SubscriptionAdded: subscriptionSet,
  SubscriptionChanged: subscriptionSet,
  SubscriptionRemoved: subscriptionSet,
  HealthIssueRaised: healthIssueRaised,
  HealthIssueUpdated: healthIssueChanged,
  HealthIssueResolved: healthIssueChanged,
  ServiceRequestCreated: serviceRequestCreated,
  ServiceRequestStatusChanged: serviceRequestStatusChanged,
};

/**
 * The client management list: fed by consent (delegations), health (issues), service-request and this
 * service's own profile events. Every handler is idempotent (position guards and recounts).
 */
export class ClientListProjection implements EventConsumer {
  static readonly NAME = `${CLIENT_DIRECTORY}.client-list`;
  readonly name = ClientListProjection.NAME;
  readonly sources = ['consent', 'health', 'service-request', CLIENT_DIRECTORY] as const;
  readonly types = Object.keys(handlers);

  async handle(event: EventEnvelope, tx: SqlExecutor): Promise<void> {
    const handler = handlers[event.type];
    if (!handler) return;
    // Each source runs in its own transaction, and a row's counts are recomputed from other tables:
    // two sources touching one client at once would each miss the other's uncommitted rows. One lock
    // per projection (held to commit) puts its transactions one after another; one lock cannot deadlock.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [this.name]);
    await handler(event, tx);
  }
}
