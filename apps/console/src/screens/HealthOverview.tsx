import { api } from '../api/client';
import type { HealthOverviewRow } from '../api/types';
import { LiveBadge } from '../components/LiveBadge';
import { Link } from '../components/Link';
import { ProblemView } from '../components/ProblemView';
import { dateTime } from '../components/format';
import { useAsync } from '../components/useAsync';
import { useHealthEvents } from '../components/useHealthEvents';

/** Health across all delegated clients, per service, refreshed as health events stream in. */
export function HealthOverview() {
  const overview = useAsync(() => api.get<{ items: HealthOverviewRow[] }>('/health-overview'), []);
  const { live, recent } = useHealthEvents(undefined, () => void overview.reload());
  return (
    <main id="main" aria-labelledby="overview-title">
      <div className="toolbar">
        <h1 id="overview-title">Health overview</h1>
        <LiveBadge live={live} />
      </div>
      <ProblemView error={overview.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Active health issues per service</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col" className="num">
                Active incidents
              </th>
              <th scope="col" className="num">
                Active advisories
              </th>
              <th scope="col" className="num">
                Affected clients
              </th>
            </tr>
          </thead>
          <tbody>
            {overview.data?.items.map((r) => (
              <tr key={r.service}>
                <th scope="row">{r.service}</th>
                <td className="num">{r.activeIncidents}</td>
                <td className="num">{r.activeAdvisories}</td>
                <td className="num">{r.affectedClients}</td>
              </tr>
            ))}
            {overview.data?.items.length === 0 && (
              <tr>
                <td colSpan={4} className="empty">
                  No active health issues.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <p>
        <Link href="/clients?sort=health">Clients with issues first →</Link>
      </p>
      <h2>Latest events</h2>
      <ol className="feed" aria-live="polite">
        {recent.map((e) => {
          const d = e.data.data;
          return (
            <li key={e.id}>
              <code>{e.type}</code> {String(d.issueId ?? '')}
              {d.status ? ` (${String(d.status)})` : ''}: {String(d.title ?? d.message ?? '')}{' '}
              <Link href={`/clients/${encodeURIComponent(String(d.clientId))}/health`}>
                client health<span className="visually-hidden"> of client {String(d.clientId)}</span>
              </Link>{' '}
              <span className="hint">{dateTime(e.data.time)}</span>
            </li>
          );
        })}
      </ol>
    </main>
  );
}
