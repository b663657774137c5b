import { Inject, Injectable } from '@nestjs/common';
import { forbidden, notFound, type SqlClient } from '@dap/eventsourcing';
import { ConsumerProgress } from '@dap/messaging';
import { decodeCursor, encodeCursor, isPartner, SQL_CLIENT, type Principal } from '@dap/platform';
import { SERVICE_REQUESTS_CONSUMER } from '../projections/service-requests.projection.js';
import { SERVICE_REQUEST_SERVICE } from './service-request-store.js';

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

/** Who sees what: a partner its own requests, a client administrator those of its organization. */
function scopeOf(principal: Principal): { column: 'partner_id' | 'client_id'; value: string } {
  if (isPartner(principal)) return { column: 'partner_id', value: principal.tid };
  if (principal.roles.includes('client.admin')) return { column: 'client_id', value: principal.tid };
  throw forbidden('only partners and client administrators read service requests');
}

@Injectable()
export class ServiceRequestQueries {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(ConsumerProgress) private readonly progress: ConsumerProgress,
  ) {}

  /** The request as a command left it: waits (briefly, in process) for the table to reach the command. */
  async viewOf(principal: Principal, requestId: string, result: { globalPosition: number | null }) {
    if (result.globalPosition !== null)
      await this.progress.waitFor(
        [SERVICE_REQUESTS_CONSUMER],
        SERVICE_REQUEST_SERVICE,
        result.globalPosition,
        5000,
      );
    return this.get(principal, requestId);
  }

  async get(principal: Principal, requestId: string) {
    const scope = scopeOf(principal);
    const [row] = await this.db.query<RequestRow>(
      `SELECT * FROM "service-request".requests WHERE request_id = $1 AND ${scope.column} = $2`,
      [requestId, scope.value],
    );
    if (!row) throw notFound('service request');
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

  async list(principal: Principal, filter: ServiceRequestFilter) {
    const scope = scopeOf(principal);
    const after = filter.cursor ? decodeCursor<[number]>(filter.cursor, 1)[0] : null;
    const rows = await this.db.query<RequestRow>(
      `SELECT * FROM "service-request".requests
        WHERE ${scope.column} = $1 AND ($2::text IS NULL OR client_id = $2) AND ($3::text IS NULL OR status = $3)
          AND ($4::bigint IS NULL OR created_position < $4)
        ORDER BY created_position DESC LIMIT $5`,
      [scope.value, filter.clientId ?? null, filter.status ?? null, after, filter.limit + 1],
    );
    const page = rows.slice(0, filter.limit);
    return {
      items: page.map(view),
      nextCursor:
        rows.length > filter.limit ? encodeCursor([Number(page[page.length - 1].created_position)]) : null,
    };
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
