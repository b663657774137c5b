import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { getSession, isPartnerAdmin } from '../api/session';
import type { ClientDetails as Details } from '../api/types';
import { Link } from '../components/Link';
import { ProblemView } from '../components/ProblemView';
import { date, roleName } from '../components/format';
import { useAsync } from '../components/useAsync';
import { select } from '../selection';

/** The details pane of the selected client: address, subscriptions, admin centers, health, requests, tags. */
export function ClientDetails({ clientId, onChanged }: { clientId: string; onChanged?: () => void }) {
  const details = useAsync(() => api.get<Details>(`/clients/${encodeURIComponent(clientId)}`), [clientId]);
  const d = details.data;
  useEffect(() => {
    if (d) select({ clientId: d.clientId, name: d.name });
  }, [d]);

  return (
    <aside className="details-pane" aria-labelledby="details-title" tabIndex={-1}>
      <ProblemView error={details.error} />
      {d && (
        <>
          <div className="pane-head">
            <h2 id="details-title">{d.name}</h2>
            <Link href="/clients" className="close" aria-label="Close the details pane">
              ×
            </Link>
          </div>
          <p className="domain">{d.primaryDomain}</p>
          <nav aria-label={`Features for ${d.name}`} className="context-links">
            <Link href={`/clients/${encodeURIComponent(d.clientId)}/health`}>Service health</Link>
            <Link href={`/clients/${encodeURIComponent(d.clientId)}/service-requests`}>Service requests</Link>
            <Link href={`/audit?clientId=${encodeURIComponent(d.clientId)}`}>Audit trail</Link>
          </nav>
          <h3>Address</h3>
          <address>
            {d.address.line1}
            {d.address.line2 && (
              <>
                <br />
                {d.address.line2}
              </>
            )}
            <br />
            {d.address.postalCode} {d.address.city}
            {d.address.region && `, ${d.address.region}`}
            <br />
            {d.address.country}
          </address>
          <h3>Delegation</h3>
          <p>
            {d.delegation.grantedRoles.map(roleName).join(' and ')}, since {date(d.delegation.grantedAt)};{' '}
            {d.delegation.expiresAt ? `expires ${date(d.delegation.expiresAt)}` : 'no expiry'}.
          </p>
          <h3>Admin centers</h3>
          <ul className="admin-centers">
            {d.adminCenters.map((a) => (
              <li key={a.name}>
                <a href={a.url} target="_blank" rel="noreferrer noopener">
                  {a.name}
                  <span className="visually-hidden"> (opens in a new tab)</span>
                </a>
              </li>
            ))}
          </ul>
          <h3>Subscriptions</h3>
          {d.subscriptions.length === 0 ? (
            <p className="empty">None.</p>
          ) : (
            <ul>
              {d.subscriptions.map((s) => (
                <li key={s.subscriptionId}>
                  {s.name} × {s.quantity} <span className={`status ${s.status}`}>{s.status}</span>
                </li>
              ))}
            </ul>
          )}
          <h3>Active health issues</h3>
          {d.healthIssues.length === 0 ? (
            <p className="empty">None.</p>
          ) : (
            <ul>
              {d.healthIssues.map((h) => (
                <li key={h.issueId}>
                  <span className={`badge ${h.classification}`}>{h.classification}</span> {h.title}
                </li>
              ))}
            </ul>
          )}
          <h3>Open service requests</h3>
          {d.serviceRequests.length === 0 ? (
            <p className="empty">None.</p>
          ) : (
            <ul>
              {d.serviceRequests.map((r) => (
                <li key={r.requestId}>
                  <Link href={`/service-requests/${encodeURIComponent(r.requestId)}`}>{r.title}</Link>{' '}
                  <span className={`status ${r.status}`}>{r.status}</span>
                </li>
              ))}
            </ul>
          )}
          {d.openServiceRequests > d.serviceRequests.length && (
            <p>
              <Link href={`/clients/${encodeURIComponent(d.clientId)}/service-requests`}>
                All {d.openServiceRequests} open service requests
              </Link>
            </p>
          )}
          <TagEditor
            key={d.clientId + d.version}
            clientId={d.clientId}
            tags={d.tags}
            onSaved={() => {
              void details.reload();
              onChanged?.();
            }}
          />
        </>
      )}
    </aside>
  );
}

function TagEditor(props: { clientId: string; tags: string[]; onSaved: () => void }) {
  const [text, setText] = useState(props.tags.join(', '));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  if (!isPartnerAdmin(getSession()))
    return (
      <>
        <h3>Tags</h3>
        <p>{props.tags.length ? props.tags.join(', ') : 'None.'}</p>
      </>
    );
  async function save(event: FormEvent) {
    event.preventDefault();
    const tags = [
      ...new Set(
        text
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    try {
      await api.patch(`/clients/${encodeURIComponent(props.clientId)}`, { tags });
      setError(null);
      setSaved(true);
      props.onSaved();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <form onSubmit={save} className="tags-form">
      <label>
        Tags <span className="hint">(comma-separated)</span>
        <input value={text} onChange={(e) => (setText(e.target.value), setSaved(false))} name="tags" />
      </label>
      <button type="submit">Save tags</button>
      {saved && <span role="status"> Saved.</span>}
      <ProblemView error={error} />
    </form>
  );
}
