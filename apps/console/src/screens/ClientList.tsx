import { useEffect, useState, type FormEvent } from 'react';
import { api, download } from '../api/client';
import type { ClientRow, Page } from '../api/types';
import { HealthIndicator } from '../components/HealthIndicator';
import { Link } from '../components/Link';
import { ProblemView } from '../components/ProblemView';
import { date } from '../components/format';
import { useAsync } from '../components/useAsync';
import { navigate, useLocation } from '../router';
import { ClientDetails } from './ClientDetails';

const COLUMNS = [
  { key: 'name', label: 'Name' },
  { key: 'domain', label: 'Primary domain' },
  { key: 'health', label: 'Service health' },
  { key: 'serviceRequests', label: 'Service requests' },
  { key: 'grantedAt', label: 'Delegated since' },
  { key: 'expiresAt', label: 'Expires' },
] as const;
const PAGE_SIZE = 50;

/**
 * The client management list: only delegated clients, searched (Enter), sorted by any column,
 * filtered by health and tag, paged by keyset cursor, exported as CSV; a selected client opens
 * the details pane beside it. The list state lives in the address (back and reload keep it).
 */
export function ClientList({ selectedId }: { selectedId?: string }) {
  const { query } = useLocation();
  const filters = {
    search: query.get('search') ?? '',
    sort: query.get('sort') ?? 'name',
    order: query.get('order') ?? 'asc',
    health: query.get('health') ?? '',
    tag: query.get('tag') ?? '',
  };
  const cursor = query.get('cursor') ?? '';
  const [searchText, setSearchText] = useState(filters.search);
  const [tagText, setTagText] = useState(filters.tag);
  const [previous, setPrevious] = useState<string[]>([]);
  const [exportError, setExportError] = useState<unknown>(null);
  useEffect(() => setSearchText(filters.search), [filters.search]);

  const key = JSON.stringify({ ...filters, cursor });
  const page = useAsync(
    () => api.get<Page<ClientRow>>('/clients', { ...filters, cursor, limit: PAGE_SIZE }),
    [key],
  );

  function go(next: Partial<typeof filters> & { cursor?: string }, keepPaging = false) {
    const params = new URLSearchParams();
    const merged = { ...filters, cursor: '', ...next };
    for (const [k, v] of Object.entries(merged)) if (v) params.set(k, v);
    if (!keepPaging) setPrevious([]);
    const base = selectedId ? `/clients/${encodeURIComponent(selectedId)}` : '/clients';
    navigate(`${base}?${params}`);
  }

  function onSearch(event: FormEvent) {
    event.preventDefault();
    go({ search: searchText.trim(), tag: tagText.trim() });
  }

  function sortBy(column: string) {
    const order = filters.sort === column && filters.order === 'asc' ? 'desc' : 'asc';
    go({ sort: column, order });
  }

  const rowHref = (id: string) => {
    const params = new URLSearchParams(query);
    return `/clients/${encodeURIComponent(id)}${params.size ? `?${params}` : ''}`;
  };

  return (
    <main id="main" className={selectedId ? 'split' : ''}>
      <section aria-labelledby="clients-title" className="list-pane">
        <div className="toolbar">
          <h1 id="clients-title">Client management</h1>
          <p className="total" aria-live="polite">
            {page.data?.total !== undefined &&
              `${page.data.total.toLocaleString()} delegated client${page.data.total === 1 ? '' : 's'}`}
          </p>
        </div>
        <form role="search" onSubmit={onSearch} className="filters">
          <label>
            Search
            <input
              type="search"
              name="search"
              value={searchText}
              onChange={(e) => setSearchText(e.target.value)}
              placeholder="Part of a name or primary domain, then Enter"
            />
          </label>
          <label>
            Health
            <select value={filters.health} onChange={(e) => go({ health: e.target.value })} name="health">
              <option value="">All</option>
              <option value="incident">Incidents</option>
              <option value="advisory">Advisories</option>
              <option value="healthy">Healthy</option>
            </select>
          </label>
          <label>
            Tag
            <input
              name="tag"
              value={tagText}
              onChange={(e) => setTagText(e.target.value)}
              placeholder="e.g. vip"
            />
          </label>
          <button type="submit">Search</button>
          <button
            type="button"
            onClick={() =>
              download('/clients/export.csv', filters, 'clients.csv').then(
                () => setExportError(null),
                setExportError,
              )
            }
          >
            Export CSV
          </button>
        </form>
        <ProblemView error={page.error ?? exportError} />
        <div className="table-wrap">
          <table className="clients" aria-busy={page.loading}>
            <caption className="visually-hidden">
              Delegated clients, sorted by{' '}
              {COLUMNS.find((c) => c.key === filters.sort)?.label ?? filters.sort}{' '}
              {filters.order === 'asc' ? 'ascending' : 'descending'}
            </caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    aria-sort={
                      filters.sort === c.key ? (filters.order === 'asc' ? 'ascending' : 'descending') : 'none'
                    }
                  >
                    <button type="button" className="sort" onClick={() => sortBy(c.key)}>
                      {c.label}
                      <span aria-hidden="true">
                        {filters.sort === c.key ? (filters.order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
                      </span>
                    </button>
                  </th>
                ))}
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {page.data?.items.map((c) => (
                <tr
                  key={c.clientId}
                  className={c.clientId === selectedId ? 'selected' : ''}
                  aria-selected={c.clientId === selectedId}
                >
                  <td>
                    <Link href={rowHref(c.clientId)} className="client-name">
                      {c.name}
                    </Link>
                  </td>
                  <td className="domain">{c.primaryDomain}</td>
                  <td>
                    <HealthIndicator client={c} />
                  </td>
                  <td className="num">
                    {c.openServiceRequests > 0 ? (
                      <Link href={`/clients/${encodeURIComponent(c.clientId)}/service-requests`}>
                        {c.openServiceRequests} open
                      </Link>
                    ) : (
                      '0'
                    )}
                  </td>
                  <td>{date(c.delegation.grantedAt)}</td>
                  <td>{c.delegation.expiresAt ? date(c.delegation.expiresAt) : 'No expiry'}</td>
                  <td>
                    {c.tags.map((t) => (
                      <span key={t} className="tag">
                        {t}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
              {page.data && page.data.items.length === 0 && (
                <tr>
                  <td colSpan={7} className="empty">
                    No delegated client matches.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        <nav aria-label="Pages" className="pager">
          <button
            type="button"
            disabled={!cursor}
            onClick={() => {
              const back = previous.slice(0, -1);
              setPrevious(back);
              go({ cursor: previous[previous.length - 1] ?? '' }, true);
            }}
          >
            ← Previous
          </button>
          <button
            type="button"
            disabled={!page.data?.nextCursor}
            onClick={() => {
              setPrevious([...previous, cursor]);
              go({ cursor: page.data!.nextCursor! }, true);
            }}
          >
            Next →
          </button>
          <button type="button" onClick={() => void page.reload()}>
            Refresh
          </button>
        </nav>
      </section>
      {selectedId && <ClientDetails clientId={selectedId} onChanged={() => void page.reload()} />}
    </main>
  );
}
