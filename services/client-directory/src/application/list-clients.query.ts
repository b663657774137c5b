import { invalid, prepared, type SqlExecutor } from '@dap/eventsourcing';
import { table } from '../projections/client-directory.schema.js';
import { decodeCursor, encodeCursor, type ClientListCursor } from './client-list.cursor.js';
import { indexPattern, searchSample } from './search-window.js';
import type {
  ClientListItem,
  ClientListPage,
  ClientSort,
  HealthFilter,
  ListClientsParams,
} from './client-list.types.js';

/**
 * Per sort, the table whose partial index serves it (`l` the list row, `a` the activity beside it) and
 * its keys (column, SQL type), each followed by client_id.
 */
const SORTS: Record<ClientSort, { on: 'l' | 'a'; keys: [string, string][] }> = {
  health: {
    on: 'a',
    keys: [
      ['health_rank', 'int'],
      ['sort_name', 'text'],
    ],
  },
  name: { on: 'l', keys: [['sort_name', 'text']] },
  domain: { on: 'l', keys: [['sort_domain', 'text']] },
  serviceRequests: {
    on: 'a',
    keys: [
      ['open_service_requests', 'int'],
      ['sort_name', 'text'],
    ],
  },
  grantedAt: { on: 'l', keys: [['granted_at', 'timestamptz']] },
  expiresAt: { on: 'l', keys: [['expires_sort', 'timestamptz']] },
};
const LIST = table('client_list');
const ACTIVITY = table('client_activity');
const BOTH = `${LIST} l JOIN ${ACTIVITY} a ON a.partner_id = l.partner_id AND a.client_id = l.client_id`;
const LIST_COLUMNS =
  'l.client_id, l.name, l.primary_domain, l.delegation_id, l.delegation_status, l.granted_roles, l.granted_at, l.expires_at, l.tags';
export const ACTIVITY_COLUMNS =
  'a.health_rank, a.active_incidents, a.active_advisories, a.open_service_requests';
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
  // Only a health filter reads the activity beside the row.
  if (params.tag && params.health)
    return `SELECT count(*)::int AS total FROM ${BOTH} WHERE ${base.sql} AND a.partner_id = $1 AND a.active`;
  if (params.tag) return `SELECT count(*)::int AS total FROM ${LIST} l WHERE ${base.sql}`;
  return `SELECT coalesce(sum(n), 0)::int AS total FROM ${table('client_list_counts')} WHERE partner_id = $1 ${params.health ? 'AND health_rank = $2' : ''}`;
}

/** Whether the partner's active rows of a health class are few enough to sort them all for a page. */
async function isSmallClass(
  db: SqlExecutor,
  partnerId: string,
  rank: number,
  page: number,
): Promise<boolean> {
  const [{ n, all }] = await db.query<{ n: number; all: number }>(
    prepared(`SELECT coalesce(sum(n) FILTER (WHERE health_rank = $2), 0)::float8 AS n, coalesce(sum(n), 0)::float8 AS all
                FROM ${table('client_list_counts')} WHERE partner_id = $1`),
    [partnerId, rank],
  );
  return n * n < page * all;
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
  if (!(sort in SORTS)) throw invalid(`unknown sort ${sort}`, 'sort');
  if (order !== 'asc' && order !== 'desc') throw invalid('order is asc or desc', 'order');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw invalid(`limit is 1..${MAX_LIMIT}`, 'limit');
  const { keys } = SORTS[sort];
  // Within one health class, the activity's index on (partner, health, name) is in name order too.
  const on = sort === 'name' && params.health ? 'a' : SORTS[sort].on;
  const search = params.search?.trim().toLowerCase() || undefined;
  if (search && search.length > MAX_SEARCH_LENGTH)
    throw invalid(`search has at most ${MAX_SEARCH_LENGTH} characters`, 'search');
  const cursor = params.cursor ? decodeCursor(params.cursor, sort, order, keys.length) : undefined;

  const base = new Where();
  const partner = base.param(params.partnerId);
  base.add(`l.partner_id = ${partner}`).add(`l.delegation_status = 'active'`);
  if (params.health) {
    if (!(params.health in HEALTH_RANK)) throw invalid('health is incident, advisory or healthy', 'health');
    base.add(`a.health_rank = ${base.param(HEALTH_RANK[params.health])}`);
  }
  if (params.tag) base.add(`l.tags @> ARRAY[${base.param(params.tag)}]::text[]`);
  if (search) {
    // The indexes are asked for the term's rarest words when it has more than needed (see search-window).
    const window = indexPattern(search, await searchSample(db));
    const p = base.param(window ?? likePattern(search));
    base.add(`(l.sort_name LIKE ${p} OR l.sort_domain LIKE ${p})`);
    if (window) {
      const term = base.param(search);
      base.add(`(strpos(l.sort_name, ${term}) > 0 OR strpos(l.sort_domain, ${term}) > 0)`);
    }
  }

  // Where the activity is joined, the partner and status are named on it too, so that its partial
  // indexes serve (the two rows agree on both).
  const withActivity = (w: Where) => w.add(`a.partner_id = ${partner}`).add('a.active');

  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const cmp = order === 'asc' ? '>' : '<';
  const sortKeys = [...keys.map(([c]) => `${on}.${c}`), `${on}.client_id`];
  const orderBy = (columns: string[]) => columns.map((c) => `${c} ${dir}`).join(', ');
  const after = (w: Where, columns: string[], c: ClientListCursor) =>
    `(${columns.join(', ')}) ${cmp} (${[...keys.map(([, type], i) => `${w.param(c.keys[i])}::${type}`), w.param(c.clientId)].join(', ')})`;

  let rows: Row[];
  if (!search) {
    // An index walk on (partner_id, sort keys, client_id) that stops after one page, and the total, in
    // one round trip.
    const w = withActivity(base.clone());
    if (cursor) w.add(after(w, sortKeys, cursor));
    const keySelect = keys.map(([c], i) => `${on}.${c}::text AS k${i}`).join(', ');
    // A health filter with a sort on the list row: the walk of that sort's index meets a row of the
    // class once every (partner's rows / class's rows) rows, each looked up beside it. For a small class
    // (rows² < page × partner's rows) its rows come from the activity's health index and are sorted
    // instead: the lateral subquery keeps the planner from walking (it assumes the class spread evenly).
    const from =
      params.health &&
      on === 'l' &&
      (await isSmallClass(db, params.partnerId, HEALTH_RANK[params.health], limit + 1))
        ? `${ACTIVITY} a CROSS JOIN LATERAL (SELECT * FROM ${LIST} l WHERE l.partner_id = a.partner_id AND l.client_id = a.client_id OFFSET 0) l`
        : BOTH;
    rows = await db.query<Row & { total: number }>(
      `SELECT p.*, c.total FROM (${totalWithoutSearch(base, params)}) c
         LEFT JOIN LATERAL (SELECT ${LIST_COLUMNS}, ${ACTIVITY_COLUMNS}, ${keySelect}, false AS exact FROM ${from}
                             WHERE ${w.sql} ORDER BY ${orderBy(sortKeys)} LIMIT ${limit + 1}) p ON true`,
      w.values,
    );
  } else {
    // The matches come from the trigram indexes once; the total and the page are both taken from
    // them. Rows whose domain is exactly the search term form a group of their own that comes first.
    // Only their keys are kept (the page's rows are read again by key): keeping every column of 12,500
    // matches cost a third more (search=northwind 41 -> 30 ms, search=n 123 -> 84 on 100,000 rows).
    // The activity beside a row is joined for every match only when the sort or a filter needs it,
    // otherwise for the page's rows alone. Sorted by health without a health filter, only the unhealthy
    // matches' ranks (rank < 2, a few in a hundred) are read, from the activity's health index, joined by
    // hash; the rest are healthy (joining every match cost ~4 µs a match: 5,000 took 27-30 ms, not 20).
    const ranked = sort === 'health' && !params.health;
    const joined = !ranked && (on === 'a' || Boolean(params.health));
    const w = joined ? withActivity(base.clone()) : base.clone();
    const exact = w.param(search);
    const matchKeys = keys.map((_, i) => `s${i}`).concat('client_id');
    const position = cursor
      ? cursor.exact
        ? `(exact AND ${after(w, matchKeys, cursor)}) OR NOT exact`
        : `NOT exact AND ${after(w, matchKeys, cursor)}`
      : 'true';
    const pageOrder = `m.exact DESC, ${orderBy(matchKeys.map((c) => `m.${c}`))}`;
    const matched = ranked
      ? `matched AS MATERIALIZED (
           SELECT l.client_id, l.sort_domain = ${exact} AS exact, l.sort_name AS s1 FROM ${LIST} l WHERE ${w.sql}),
         unhealthy AS MATERIALIZED (
           SELECT a.client_id, a.health_rank FROM ${ACTIVITY} a
            WHERE a.partner_id = ${partner} AND a.active AND a.health_rank < 2 AND a.client_id IN (SELECT client_id FROM matched)),
         m AS (SELECT matched.*, coalesce(u.health_rank, 2) AS s0 FROM matched LEFT JOIN unhealthy u USING (client_id))`
      : `matched AS MATERIALIZED (
           SELECT l.client_id, l.sort_domain = ${exact} AS exact, ${keys.map(([c], i) => `${on}.${c} AS s${i}`).join(', ')}
             FROM ${joined ? BOTH : `${LIST} l`} WHERE ${w.sql}),
         m AS (SELECT * FROM matched)`;
    rows = await db.query<Row & { total: number }>(
      `WITH ${matched}
       SELECT p.*, c.total FROM (SELECT count(*)::int AS total FROM matched) c
         LEFT JOIN LATERAL (SELECT ${LIST_COLUMNS}, m.exact, ${ACTIVITY_COLUMNS}, ${keys.map((_, i) => `m.s${i}::text AS k${i}`).join(', ')}
             FROM (SELECT * FROM m WHERE ${position} ORDER BY ${pageOrder} LIMIT ${limit + 1}) m
             JOIN ${LIST} l ON l.partner_id = ${partner} AND l.client_id = m.client_id
             JOIN ${ACTIVITY} a ON a.partner_id = ${partner} AND a.client_id = m.client_id
            ORDER BY ${pageOrder}) p ON true`,
      w.values,
    );
  }
  const [first] = rows as (Row & { total: number })[];
  const total = first.total;
  if (first.client_id === null) rows = [];
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
