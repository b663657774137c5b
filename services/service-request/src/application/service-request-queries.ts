import { Inject, Injectable } from '@nestjs/common';
import { forbidden, notFound, type SqlClient } from '@dap/eventsourcing';
import { CLOCK, decodeCursor, encodeCursor, SQL_CLIENT, type Clock, type Principal } from '@dap/platform';
import { checkAccess, grantsAllowing } from '../domain/access-check.js';
import { readAccessFacts, readAssignedRole } from '../projections/access-facts.js';
import { assertAllowed } from './access-denied.js';

interface RequestRow {
  request_id: string;
  partner_id: string;
  client_id: string;
  title: string;
  description: string;
  severity: string;
  contact: object;
  status: string;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
  stream_version: number;
  created_position: string | number;
}

export interface ServiceRequestFilter {
  clientId?: string;
  status?: string;
  limit: number;
  cursor?: string;
}

const iso = (v: Date | string) => new Date(v).toISOString();

const READ = 'serviceRequests.read';

/**
 * Who reads what (SPEC §4): a partner admin all of its partner's requests, a partner agent those of
 * the clients on whose delegation it holds an effective role allowing `serviceRequests.read`, a client
 * administrator those of its own organization.
 */
type ReadScope =
  | { by: 'partner'; partnerId: string }
  | { by: 'agent'; partnerId: string; userId: string }
  | { by: 'client'; clientId: string };

function scopeOf(principal: Principal): ReadScope {
  if (principal.roles.includes('partner.admin')) return { by: 'partner', partnerId: principal.tid };
  if (principal.roles.includes('partner.agent'))
    return { by: 'agent', partnerId: principal.tid, userId: principal.sub };
  if (principal.roles.includes('client.admin')) return { by: 'client', clientId: principal.tid };
  throw forbidden('only partners and client administrators read service requests');
}

/** A usable delegation of the request's client to its partner grants one of `$grants` (text[]). */
const readableByAgent = (now: string, grants: string) => `EXISTS (
  SELECT 1 FROM "service-request".delegations d
   WHERE d.partner_id = r.partner_id AND d.client_id = r.client_id AND d.status = 'active'
     AND (d.expires_at IS NULL OR d.expires_at > ${now}::timestamptz) AND d.granted_roles ?| ${grants}::text[])`;

@Injectable()
export class ServiceRequestQueries {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Another partner's or organization's request is 404 as an unknown one; an agent without a role on its client, 403 with the reason. */
  async get(principal: Principal, requestId: string) {
    const scope = scopeOf(principal);
    const [row] = await this.db.query<RequestRow>(
      `SELECT * FROM "service-request".requests WHERE request_id = $1 AND ${scope.by === 'client' ? 'client_id' : 'partner_id'} = $2`,
      [requestId, scope.by === 'client' ? scope.clientId : scope.partnerId],
    );
    if (!row) throw notFound('service request');
    if (scope.by === 'agent') await this.assertAgentMayRead(scope, row.client_id);
    const activity = await this.db.query<Record<string, any>>(
      `SELECT kind, text, from_status, to_status, author, at FROM "service-request".activity WHERE request_id = $1 ORDER BY stream_version`,
      [requestId],
    );
    return {
      view: {
        ...view(row),
        activity: activity.map((a) => ({
          kind: a.kind,
          ...(a.text !== null && { text: a.text }),
          ...(a.kind === 'status' && { from: a.from_status, to: a.to_status }),
          author: a.author,
          at: iso(a.at),
        })),
      },
      version: row.stream_version,
    };
  }

  /** An agent's list holds only the clients it may read, filtered in SQL; naming one it may not is 403 with the reason. */
  async list(principal: Principal, filter: ServiceRequestFilter) {
    const scope = scopeOf(principal);
    const after = filter.cursor ? decodeCursor<[number]>(filter.cursor, 1)[0] : null;
    const params: unknown[] = [
      scope.by === 'client' ? scope.clientId : scope.partnerId,
      filter.clientId ?? null,
      filter.status ?? null,
      after,
      filter.limit + 1,
    ];
    let access = '';
    if (scope.by === 'agent') {
      if (filter.clientId !== undefined) await this.assertAgentMayRead(scope, filter.clientId);
      const grants = grantsAllowing(READ, await readAssignedRole(this.db, scope.partnerId, scope.userId));
      if (grants.length === 0) return { items: [], nextCursor: null };
      params.push(this.clock.now().toISOString(), grants);
      access = `AND ${readableByAgent('$6', '$7')}`;
    }
    const rows = await this.db.query<RequestRow>(
      `SELECT r.* FROM "service-request".requests r
        WHERE r.${scope.by === 'client' ? 'client_id' : 'partner_id'} = $1
          AND ($2::text IS NULL OR r.client_id = $2) AND ($3::text IS NULL OR r.status = $3)
          AND ($4::bigint IS NULL OR r.created_position < $4) ${access}
        ORDER BY r.created_position DESC LIMIT $5`,
      params,
    );
    const page = rows.slice(0, filter.limit);
    return {
      items: page.map(view),
      nextCursor:
        rows.length > filter.limit ? encodeCursor([Number(page[page.length - 1].created_position)]) : null,
    };
  }

  /** 403 with the reason unless the agent's effective role on the client allows `serviceRequests.read`. */
  private async assertAgentMayRead(scope: { partnerId: string; userId: string }, clientId: string) {
    const facts = await readAccessFacts(this.db, scope.partnerId, scope.userId, clientId);
    assertAllowed(checkAccess({ action: READ, ...facts, now: this.clock.now() }));
  }
}

function view(r: RequestRow) {
  return {
    id: r.request_id,
    partnerId: r.partner_id,
    clientId: r.client_id,
    title: r.title,
    description: r.description,
    severity: r.severity,
    contact: r.contact,
    status: r.status,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    version: r.stream_version,
  };
}
