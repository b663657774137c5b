import type { ClientRow } from '../api/types';
import { Link } from './Link';

/** The Service Health cell: an icon on clients with an incident or advisory, leading to their health. */
export function HealthIndicator({ client }: { client: ClientRow }) {
  const { status, activeIncidents, activeAdvisories } = client.health;
  if (status === 'healthy')
    return (
      <span className="health healthy" title="Healthy">
        <span aria-hidden="true">✓</span> Healthy
      </span>
    );
  const label =
    status === 'incident'
      ? `${activeIncidents} incident${activeIncidents === 1 ? '' : 's'}`
      : `${activeAdvisories} advisor${activeAdvisories === 1 ? 'y' : 'ies'}`;
  return (
    <Link
      href={`/clients/${encodeURIComponent(client.clientId)}/health`}
      className={`health ${status}`}
      aria-label={`${client.name}: ${label}, open the service health report`}
      title={`${label}: open the service health report`}
    >
      <span aria-hidden="true" className="icon">
        {status === 'incident' ? '!' : 'i'}
      </span>{' '}
      {label}
    </Link>
  );
}
