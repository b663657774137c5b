import { useState } from 'react';
import { api } from '../api/client';
import type { ClientDetails, HealthIssue, Page } from '../api/types';
import { LiveBadge } from '../components/LiveBadge';
import { Link } from '../components/Link';
import { ProblemView } from '../components/ProblemView';
import { dateTime } from '../components/format';
import { useAsync } from '../components/useAsync';
import { useHealthEvents } from '../components/useHealthEvents';

/** One client's service health report: active and resolved issues, updated live. */
export function ClientHealth({ clientId }: { clientId: string }) {
  const [status, setStatus] = useState<'active' | 'resolved'>('active');
  const client = useAsync(
    () => api.get<ClientDetails>(`/clients/${encodeURIComponent(clientId)}`),
    [clientId],
  );
  const issues = useAsync(
    () => api.get<Page<HealthIssue>>('/health-issues', { clientId, status, limit: 200 }),
    [clientId, status],
  );
  const { live } = useHealthEvents(clientId, () => void issues.reload());

  return (
    <main id="main" aria-labelledby="health-title">
      <p className="crumbs">
        <Link href={`/clients/${encodeURIComponent(clientId)}`}>← {client.data?.name ?? 'Client'}</Link>
      </p>
      <div className="toolbar">
        <h1 id="health-title">Service health{client.data ? `: ${client.data.name}` : ''}</h1>
        <LiveBadge live={live} />
      </div>
      <div role="group" aria-label="Show" className="segmented">
        {(['active', 'resolved'] as const).map((s) => (
          <button key={s} type="button" aria-pressed={status === s} onClick={() => setStatus(s)}>
            {s === 'active' ? 'Active issues' : 'Resolved'}
          </button>
        ))}
      </div>
      <ProblemView error={client.error ?? issues.error} />
      {issues.data?.items.length === 0 && <p className="empty">No {status} issues.</p>}
      <ul className="issues">
        {issues.data?.items.map((i) => (
          <li key={i.issueId} className={`issue ${i.classification}`}>
            <h2>
              <span className={`badge ${i.classification}`}>{i.classification}</span> {i.title}
            </h2>
            <p>
              <strong>{i.service}</strong>
              {i.feature ? ` · ${i.feature}` : ''} · status <code>{i.status}</code> · since{' '}
              {dateTime(i.startDateTime)}
              {i.endDateTime && ` · ended ${dateTime(i.endDateTime)}`}
            </p>
            <p>{i.impactDescription}</p>
            {i.lastMessage && <p className="hint">Latest update: {i.lastMessage}</p>}
            <p className="hint">Issue {i.issueId}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
