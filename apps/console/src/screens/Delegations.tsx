import { useState } from 'react';
import { api } from '../api/client';
import { getSession, isClientAdmin, isPartnerAdmin } from '../api/session';
import type { Delegation, Page } from '../api/types';
import { Link } from '../components/Link';
import { ProblemView } from '../components/ProblemView';
import { date, includesText, roleName } from '../components/format';
import { useAsync } from '../components/useAsync';
import { Pager } from '../components/Pager';

/**
 * Delegations with their expiry, and revocation: the partner's (every client that granted it
 * access) or, for a client administrator, the partners its own organization has delegated to.
 */
export function Delegations() {
  const client = isClientAdmin(getSession());
  const [status, setStatus] = useState('active');
  const [cursor, setCursor] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const list = useAsync(
    () => api.get<Page<Delegation>>('/delegations', { status, limit: 50, cursor: cursor[cursor.length - 1] }),
    [status, cursor.join()],
  );

  async function revoke(d: Delegation) {
    const who = client ? `partner ${d.partnerId}` : d.client.name;
    if (!confirm(`Revoke the delegation with ${who}? It ends at once.`)) return;
    try {
      await api.post(`/delegations/${encodeURIComponent(d.delegationId)}/revoke`, {});
      setError(null);
      setNote(`Delegation with ${who} revoked.`);
      await list.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <main id="main" aria-labelledby="delegations-title">
      <h1 id="delegations-title">{client ? 'Partners with delegated administration' : 'Delegations'}</h1>
      <label className="inline-filter">
        Status{' '}
        <select value={status} onChange={(e) => (setStatus(e.target.value), setCursor([]))}>
          <option value="active">Active</option>
          <option value="revoked">Revoked</option>
          <option value="expired">Expired</option>
          <option value="">All</option>
        </select>
      </label>
      {note && <p role="status">{note}</p>}
      <ProblemView error={error ?? list.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Delegations</caption>
          <thead>
            <tr>
              <th scope="col">{client ? 'Partner' : 'Client'}</th>
              <th scope="col">Roles</th>
              <th scope="col">Granted</th>
              <th scope="col">Expires</th>
              <th scope="col">Bundled</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((d) => (
              <tr key={d.delegationId}>
                <th scope="row">
                  {client ? (
                    d.partnerId
                  ) : (
                    <Link href={`/clients/${encodeURIComponent(d.clientId)}`}>{d.client.name}</Link>
                  )}
                </th>
                <td>{d.grantedRoles.map(roleName).join(', ')}</td>
                <td>{date(d.grantedAt)}</td>
                <td>
                  {d.expiresAt ? date(d.expiresAt) : 'No expiry'}
                  {d.autoExtend && ' (auto-extends)'}
                </td>
                <td>{includesText(d.includes)}</td>
                <td>
                  <span className={`status ${d.status}`}>{d.status}</span>
                </td>
                <td>
                  {d.status === 'active' && (client || isPartnerAdmin(getSession())) && (
                    <button type="button" className="danger" onClick={() => void revoke(d)}>
                      Revoke
                      <span className="visually-hidden">
                        {' '}
                        delegation with {client ? d.partnerId : d.client.name}
                      </span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {list.data?.items.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">
                  None.
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
