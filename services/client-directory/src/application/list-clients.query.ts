import { invalid, type SqlExecutor } from '@dap/eventsourcing';
import { table } from '../projections/client-directory.schema.js';
import { decodeCursor, encodeCursor, type ClientListCursor } from './client-list.cursor.js';
import type {
  ClientListItem,
  ClientListPage,
  ClientSort,
  HealthFilter,
  ListClientsParams,
} from './client-list.types.js';

/** Sort keys per sort (column, SQL type), each followed by client_id; one partial index serves each. */
const SORT_KEYS: Record<ClientSort, [string, string][]> = {
  health: [
    ['health_rank', 'int'],
    ['sort_name', 'text'],
  ],
  name: [['sort_name', 'text']],
  domain: [['sort_domain', 'text']],
  serviceRequests: [
    ['open_service_requests', 'int'],
    ['sort_name', 'text'],
  ],
  grantedAt: [['granted_at', 'timestamptz']],
  expiresAt: [['expires_sort', 'timestamptz']],
};
const HEALTH_RANK: Record<HealthFilter, number> = { incident: 0, advisory: 1, healthy: 2 };
const HEALTH_OF_RANK: HealthFilter[] = ['incident', 'advisory', 'healthy'];

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
export const MAX_SEARCH_LENGTH = 256;

interface Row {
  client_id: string;
  name: string;
  primary_domain: string;
  delegation_id: string;
  delegation_status: string;
  granted_roles: string[];
  granted_at: Date | string;
  expires_at: Date | string | null;
  health_rank: number;
  active_incidents: number;
  active_advisories: number;
  open_service_requests: number;
  tags: string[];
  exact: boolean;
  k0: string;
  k1?: string;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());
const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const itemOf = (r: Omit<Row, 'exact' | 'k0' | 'k1'>): ClientListItem => ({
  clientId: r.client_id,
  name: r.name,
  primaryDomain: r.primary_domain,
  delegation: {
    id: r.delegation_id,
    status: r.delegation_status,
    grantedRoles: r.granted_roles,
    grantedAt: iso(r.granted_at)!,
    expiresAt: iso(r.expires_at),
  },
  health: {
    status: HEALTH_OF_RANK[r.health_rank],
    activeIncidents: r.active_incidents,
    activeAdvisories: r.active_advisories,
  },
  openServiceRequests: r.open_service_requests,
  tags: r.tags,
});

/** Builds WHERE fragments with numbered parameters. */
class Where {
  readonly values: unknown[] = [];
  readonly parts: string[] = [];
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  add(sql: string): this {
    this.parts.push(sql);
    return this;
  }
  clone(): Where {
    const copy = new Where();
    copy.values.push(...this.values);
    copy.parts.push(...this.parts);
    return copy;
  }
  get sql(): string {
    return this.parts.join(' AND ');
  }
}

/**
 * Without a search, the total comes from the counts the table's trigger keeps per partner and health
 * (a tag filter counts its index matches). Uses the base's own parameters: $1 partner, $2 health.
 */
function totalWithoutSearch(base: Where, params: ListClientsParams): string {
  if (params.withTotal === false) return `SELECT -1 AS total`;
  if (params.tag) return `SELECT count(*)::int AS total FROM ${table('client_list')} WHERE ${base.sql}`;
  return `SELECT coalesce(sum(n), 0)::int AS total FROM ${table('client_list_counts')} WHERE partner_id = $1 ${params.health ? 'AND health_rank = $2' : ''}`;
}

/**
 * The client management list of one partner: only active delegations; search on a case-insensitive
 * substring of name or primary domain (trigram indexes), exact domain matches first; filters on health
 * and tag; keyset paging on (sort keys, client_id) so that a page never skips or repeats a row that
 * did not change while the caller paged; `total` counts every row that matches the filters.
 */
export async function listClients(db: SqlExecutor, params: ListClientsParams): Promise<ClientListPage> {
  const sort = params.sort ?? 'name';
  const order = params.order ?? 'asc';
  const limit = params.limit ?? DEFAULT_LIMIT;
  if (!(sort in SORT_KEYS)) throw invalid(`unknown sort ${sort}`, 'sort');
  if (order !== 'asc' && order !== 'desc') throw invalid('order is asc or desc', 'order');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw invalid(`limit is 1..${MAX_LIMIT}`, 'limit');
  const keys = SORT_KEYS[sort];
  const search = params.search?.trim().toLowerCase() || undefined;
  if (search && search.length > MAX_SEARCH_LENGTH)
    throw invalid(`search has at most ${MAX_SEARCH_LENGTH} characters`, 'search');
  const cursor = params.cursor ? decodeCursor(params.cursor, sort, order, keys.length) : undefined;

  const base = new Where();
  base.add(`partner_id = ${base.param(params.partnerId)}`).add(`delegation_status = 'active'`);
  if (params.health) {
    if (!(params.health in HEALTH_RANK)) throw invalid('health is incident, advisory or healthy', 'health');
    base.add(`health_rank = ${base.param(HEALTH_RANK[params.health])}`);
  }
  if (params.tag) base.add(`tags @> ARRAY[${base.param(params.tag)}]::text[]`);
  if (search) {
    const p = base.param(likePattern(search));
    base.add(`(sort_name LIKE ${p} OR sort_domain LIKE ${p})`);
  }

  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const cmp = order === 'asc' ? '>' : '<';
  const orderBy = [...keys.map(([c]) => `${c} ${dir}`), `client_id ${dir}`].join(', ');
  const keySelect = keys.map(([c], i) => `${c}::text AS k${i}`).join(', ');
  const listed = [
    'client_id',
    'name',
    'primary_domain',
    'delegation_id',
    'delegation_status',
    'granted_roles',
    'granted_at',
    'expires_at',
  ];
  listed.push('health_rank', 'active_incidents', 'active_advisories', 'open_service_requests', 'tags');
  const columns = `${listed.join(', ')}, ${keySelect}`;
  const sortOnly = keys.map(([c]) => c).filter((c) => !listed.includes(c));
  const after = (w: Where, c: ClientListCursor) =>
    `(${[...keys.map(([col]) => col), 'client_id'].join(', ')}) ${cmp} (${[...keys.map(([, type], i) => `${w.param(c.keys[i])}::${type}`), w.param(c.clientId)].join(', ')})`;

  let rows: Row[];
  let total = -1;
  if (!search) {
    // An index walk on (partner_id, sort keys, client_id) that stops after one page, and the total, in
    // one round trip.
    const w = base.clone();
    if (cursor) w.add(after(w, cursor));
    const [first, ...more] = await db.query<Row & { total: number }>(
      `SELECT p.*, c.total FROM (${totalWithoutSearch(base, params)}) c
         LEFT JOIN LATERAL (SELECT ${columns}, false AS exact FROM ${table('client_list')} WHERE ${w.sql}
                             ORDER BY ${orderBy} LIMIT ${limit + 1}) p ON true`,
      w.values,
    );
    total = first.total;
    rows = first.client_id === null ? [] : [first, ...more];
  } else {
    // The matches come from the trigram indexes once; the total and the page are both taken from
    // them. Rows whose domain is exactly the search term form a group of their own that comes first.
    const w = base.clone();
    const exact = w.param(search);
    const position = cursor
      ? cursor.exact
        ? `(exact AND ${after(w, cursor)}) OR NOT exact`
        : `NOT exact AND ${after(w, cursor)}`
      : 'true';
    const [first, ...more] = await db.query<Row & { total: number }>(
      `WITH m AS MATERIALIZED (
         SELECT ${[columns, `sort_domain = ${exact} AS exact`, ...sortOnly].join(', ')}
           FROM ${table('client_list')} WHERE ${w.sql})
       SELECT p.*, c.total FROM (SELECT count(*)::int AS total FROM m) c
         LEFT JOIN LATERAL (SELECT * FROM m WHERE ${position} ORDER BY exact DESC, ${orderBy} LIMIT ${limit + 1}) p ON true`,
      w.values,
    );
    total = first.total;
    rows = first.client_id === null ? [] : [first, ...more];
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({
          sort,
          order,
          exact: last.exact,
          keys: keys.map((_, i) => (i === 0 ? last.k0 : last.k1!)),
          clientId: last.client_id,
        })
      : null;
  return { items: page.map(itemOf), nextCursor, total };
}
