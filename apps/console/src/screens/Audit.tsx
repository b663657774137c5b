import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { AccessEvent, AccessSnapshot, Page } from '../api/types';
import { ProblemView } from '../components/ProblemView';
import { dateTime, roleName } from '../components/format';
import { useAsync } from '../components/useAsync';
import { useLocation } from '../router';
import { Pager } from '../components/Pager';

/** The audit trail of who gained delegated access, the point-in-time snapshot, and the chain check. */
export function Audit() {
  const { query } = useLocation();
  const [filters, setFilters] = useState({
    clientId: query.get('clientId') ?? '',
    userId: '',
    from: '',
    to: '',
  });
  const [applied, setApplied] = useState(filters);
  const [cursor, setCursor] = useState<string[]>([]);
  const events = useAsync(
    () =>
      api.get<Page<AccessEvent>>('/audit/access-events', {
        clientId: applied.clientId,
        userId: applied.userId,
        from: applied.from && new Date(applied.from).toISOString(),
        to: applied.to && new Date(applied.to).toISOString(),
        limit: 50,
        cursor: cursor[cursor.length - 1],
      }),
    [JSON.stringify(applied), cursor.join()],
  );
  const set = (k: keyof typeof filters) => (e: { target: { value: string } }) =>
    setFilters({ ...filters, [k]: e.target.value });
  const search = (e: FormEvent) => {
    e.preventDefault();
    setCursor([]);
    setApplied(filters);
  };

  return (
    <main id="main" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <p className="lead">Every delegation and role change, in order, hash-chained: kept forever.</p>
      <Verify />
      <form onSubmit={search} className="filters" aria-label="Filter the audit trail">
        <label>
          Client id
          <input value={filters.clientId} onChange={set('clientId')} name="clientId" />
        </label>
        <label>
          User
          <input value={filters.userId} onChange={set('userId')} name="userId" />
        </label>
        <label>
          From
          <input type="datetime-local" value={filters.from} onChange={set('from')} />
        </label>
        <label>
          To
          <input type="datetime-local" value={filters.to} onChange={set('to')} />
        </label>
        <button type="submit">Show</button>
      </form>
      <ProblemView error={events.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Access events</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">Client</th>
              <th scope="col">User</th>
              <th scope="col">By</th>
              <th scope="col">Hash</th>
            </tr>
          </thead>
          <tbody>
            {events.data?.items.map((e) => (
              <tr key={e.id}>
                <td className="num">{e.position}</td>
                <td>{dateTime(e.time)}</td>
                <td>
                  <code>{e.type}</code>
                  {typeof e.data.role === 'string' && ` ${roleName(e.data.role)}`}
                </td>
                <td className="domain">{e.clientId ?? '—'}</td>
                <td>{e.userId ?? '—'}</td>
                <td>{e.actor.id}</td>
                <td>
                  <code title={e.hash}>{e.hash.slice(0, 10)}…</code>
                </td>
              </tr>
            ))}
            {events.data?.items.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">
                  No events.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager cursors={cursor} next={events.data?.nextCursor} onChange={setCursor} />
      <Snapshot initialClientId={applied.clientId} />
    </main>
  );
}

function Snapshot({ initialClientId }: { initialClientId: string }) {
  const [clientId, setClientId] = useState(initialClientId);
  const [at, setAt] = useState(() =>
    new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16),
  );
  const [result, setResult] = useState<AccessSnapshot | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function run(e: FormEvent) {
    e.preventDefault();
    try {
      setResult(
        await api.get<AccessSnapshot>('/audit/access-snapshot', { clientId, at: new Date(at).toISOString() }),
      );
      setError(null);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section aria-labelledby="snapshot-title" className="card">
      <h2 id="snapshot-title">Who could administer a client at a given moment</h2>
      <form onSubmit={run} className="row">
        <label>
          Client id
          <input
            value={clientId}
            onChange={(e) => setClientId(e.target.value)}
            required
            name="snapshotClientId"
          />
        </label>
        <label>
          At
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} required />
        </label>
        <button type="submit">Replay</button>
      </form>
      <ProblemView error={error} />
      {result && (
        <table>
          <caption>
            Access to {result.clientId} at {dateTime(result.at)}
          </caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Effective role</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {result.entries.map((e) => (
              <tr key={e.userId + e.delegationId}>
                <td>{e.userId}</td>
                <td>{roleName(e.effectiveRole)}</td>
                <td>{dateTime(e.since)}</td>
              </tr>
            ))}
            {result.entries.length === 0 && (
              <tr>
                <td colSpan={3} className="empty">
                  Nobody.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Verify() {
  const [result, setResult] = useState<{ ok: boolean; checked: number; firstBrokenPosition?: number } | null>(
    null,
  );
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="verify">
      <button
        type="button"
        onClick={() =>
          api.get<typeof result>('/audit/verify').then((r) => (setResult(r), setError(null)), setError)
        }
      >
        Verify the hash chain
      </button>{' '}
      {result && (
        <span role="status">
          {result.ok
            ? `Intact: ${result.checked} records checked.`
            : `Broken at position ${result.firstBrokenPosition} (${result.checked} checked).`}
        </span>
      )}
      <ProblemView error={error} />
    </div>
  );
}
