import { useState } from 'react';
import { api } from '../api/client';
import type { ClientDetails, Page, ServiceRequest } from '../api/types';
import { Link } from '../components/Link';
import { ProblemView } from '../components/ProblemView';
import { dateTime } from '../components/format';
import { useAsync } from '../components/useAsync';
import { NewServiceRequest } from './NewServiceRequest';
import { Pager } from '../components/Pager';

/** Service requests, of one client (with "+" to open one on its behalf) or of every client. */
export function ServiceRequests({ clientId }: { clientId?: string }) {
  const [status, setStatus] = useState('');
  const [cursor, setCursor] = useState<string[]>([]);
  const [adding, setAdding] = useState(false);
  const client = useAsync(
    async () => (clientId ? api.get<ClientDetails>(`/clients/${encodeURIComponent(clientId)}`) : undefined),
    [clientId],
  );
  const list = useAsync(
    () =>
      api.get<Page<ServiceRequest>>('/service-requests', {
        clientId,
        status,
        limit: 50,
        cursor: cursor[cursor.length - 1],
      }),
    [clientId, status, cursor.join()],
  );
  const name = client.data?.name;
  return (
    <main id="main" aria-labelledby="sr-title">
      {clientId && (
        <p className="crumbs">
          <Link href={`/clients/${encodeURIComponent(clientId)}`}>← {name ?? 'Client'}</Link>
        </p>
      )}
      <div className="toolbar">
        <h1 id="sr-title">Service requests{name ? `: ${name}` : ''}</h1>
        {clientId && (
          <button
            type="button"
            className="add"
            aria-expanded={adding}
            aria-label={`Open a service request on behalf of ${name ?? 'this client'}`}
            onClick={() => setAdding(!adding)}
          >
            +
          </button>
        )}
      </div>
      {adding && clientId && (
        <NewServiceRequest
          clientId={clientId}
          clientName={name}
          onCreated={() => {
            setAdding(false);
            void list.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      <label className="inline-filter">
        Status{' '}
        <select value={status} onChange={(e) => (setStatus(e.target.value), setCursor([]))}>
          <option value="">All</option>
          <option value="open">Open</option>
          <option value="attentionNeeded">Attention needed</option>
          <option value="closed">Closed</option>
        </select>
      </label>
      <ProblemView error={client.error ?? list.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Service requests</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col">Opened by</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={`/service-requests/${encodeURIComponent(r.id)}`}>{r.title}</Link>
                </td>
                <td>
                  <span className={`severity ${r.severity}`}>{r.severity}</span>
                </td>
                <td>
                  <span className={`status ${r.status}`}>{r.status}</span>
                </td>
                <td>{r.createdBy}</td>
                <td>{dateTime(r.updatedAt)}</td>
              </tr>
            ))}
            {list.data?.items.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  No service requests.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager cursors={cursor} next={list.data?.nextCursor} onChange={setCursor} />
    </main>
  );
}
