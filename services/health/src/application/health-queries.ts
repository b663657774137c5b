import { Inject, Injectable } from '@nestjs/common';
import { notFound, type SqlClient } from '@dap/eventsourcing';
import { decodeCursor, encodeCursor, SQL_CLIENT } from '@dap/platform';
import { scopeCondition, type HealthScope } from './health-scope.js';

export interface HealthIssueView {
  issueId: string;
  clientId: string;
  service: string;
  feature: string | null;
  classification: string;
  title: string;
  impactDescription: string;
  status: string;
  isResolved: boolean;
  startDateTime: string;
  endDateTime: string | null;
  lastMessage: string | null;
  lastModifiedDateTime: string;
}

export interface HealthIssueFilter {
  clientId?: string;
  status?: 'active' | 'resolved';
  classification?: 'incident' | 'advisory';
  limit: number;
  cursor?: string;
}

export interface ServiceHealthSummary {
  service: string;
  activeIncidents: number;
  activeAdvisories: number;
  affectedClients: number;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Reads of the health read tables, always within the caller's scope. */
@Injectable()
export class HealthQueries {
  constructor(@Inject(SQL_CLIENT) private readonly db: SqlClient) {}

  /** 404 when the client is not one the caller may see (exactly as an unknown client). */
  async assertVisible(scope: HealthScope, clientId: string): Promise<void> {
    if (!(await this.visibleClients(scope, [clientId])).has(clientId)) throw notFound('client');
  }

  /** Which of these clients the caller may see. */
  async visibleClients(scope: HealthScope, clientIds: string[]): Promise<Set<string>> {
    if (scope.kind === 'all') return new Set(clientIds);
    if (scope.kind === 'client') return new Set(clientIds.filter((c) => c === scope.clientId));
    const rows = await this.db.query<{ client_id: string }>(
      `SELECT DISTINCT client_id FROM health.partner_clients WHERE partner_id = $1 AND active AND client_id = ANY($2::text[])`,
      [scope.partnerId, clientIds],
    );
    return new Set(rows.map((r) => r.client_id));
  }

  async list(
    scope: HealthScope,
    filter: HealthIssueFilter,
  ): Promise<{ items: HealthIssueView[]; nextCursor: string | null }> {
    if (filter.clientId !== undefined) await this.assertVisible(scope, filter.clientId);
    const after = filter.cursor ? decodeCursor<[number]>(filter.cursor, 1)[0] : null;
    const where = scopeCondition(scope, 'i.client_id', 6);
    const active = filter.status === undefined ? null : filter.status === 'active';
    const rows = await this.db.query(
      `SELECT i.*, i.raised_position::bigint AS pos FROM health.issues i
        WHERE ($1::text IS NULL OR i.client_id = $1) AND ($2::boolean IS NULL OR i.active = $2)
          AND ($3::text IS NULL OR i.classification = $3) AND ($4::bigint IS NULL OR i.raised_position < $4)
          AND ${where.sql}
        ORDER BY i.raised_position DESC LIMIT $5`,
      [
        filter.clientId ?? null,
        active,
        filter.classification ?? null,
        after,
        filter.limit + 1,
        ...where.params,
      ],
    );
    const page = rows.slice(0, filter.limit);
    return {
      items: page.map(toView),
      nextCursor: rows.length > filter.limit ? encodeCursor([Number(page[page.length - 1].pos)]) : null,
    };
  }

  /** Per service: active incidents and advisories (distinct issues) and the clients they touch. */
  async overview(scope: HealthScope): Promise<{ items: ServiceHealthSummary[] }> {
    const where = scopeCondition(scope, 'i.client_id', 1);
    const rows = await this.db.query<{
      service: string;
      incidents: number;
      advisories: number;
      clients: number;
    }>(
      `SELECT i.service,
              count(DISTINCT i.issue_id) FILTER (WHERE i.classification = 'incident')::int AS incidents,
              count(DISTINCT i.issue_id) FILTER (WHERE i.classification = 'advisory')::int AS advisories,
              count(DISTINCT i.client_id)::int AS clients
         FROM health.issues i WHERE i.active AND ${where.sql}
        GROUP BY i.service ORDER BY i.service`,
      where.params,
    );
    return {
      items: rows.map((r) => ({
        service: r.service,
        activeIncidents: Number(r.incidents),
        activeAdvisories: Number(r.advisories),
        affectedClients: Number(r.clients),
      })),
    };
  }

  /** The clients that have an issue (all of them, whatever the scope): targets of an update without clientIds. */
  async clientsWithIssue(issueId: string): Promise<string[]> {
    const rows = await this.db.query<{ client_id: string }>(
      `SELECT client_id FROM health.issues WHERE issue_id = $1`,
      [issueId],
    );
    return rows.map((r) => r.client_id);
  }
}

function toView(r: Record<string, any>): HealthIssueView {
  return {
    issueId: r.issue_id,
    clientId: r.client_id,
    service: r.service,
    feature: r.feature,
    classification: r.classification,
    title: r.title,
    impactDescription: r.impact_description,
    status: r.status,
    isResolved: !r.active,
    startDateTime: iso(r.start_date_time)!,
    endDateTime: iso(r.end_date_time),
    lastMessage: r.last_message,
    lastModifiedDateTime: iso(r.last_updated_at)!,
  };
}
