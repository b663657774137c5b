import { waitUntil, type ApiClient } from './api-client.js';
import { clientIdOf } from './client-population.js';

/** POST /health-issues on these clients (at most 10,000 per call); resolves when acknowledged. */
export async function raiseIssue(
  api: ApiClient,
  publisherToken: string,
  indexes: number[],
  classification: 'incident' | 'advisory',
  issueId: string,
): Promise<void> {
  for (let from = 0; from < indexes.length; from += 10_000)
    await api.ok('POST', '/api/v1/health-issues', publisherToken, {
      issueId: `${issueId}-${from / 10_000}`,
      clientIds: indexes.slice(from, from + 10_000).map(clientIdOf),
      service: 'Exchange Online',
      classification,
      title: `Bench ${classification} ${issueId}`,
      impactDescription: 'Users may be unable to send mail.',
      status: 'serviceDegradation',
      startDateTime: new Date().toISOString(),
    });
}

/** How many of the partner's clients GET /clients?health=<filter> counts (the list's `total`). */
export const healthTotal = async (api: ApiClient, token: string, filter: 'incident' | 'advisory') =>
  (await api.ok<{ total: number }>('GET', `/api/v1/clients?health=${filter}&limit=1`, token)).total;

/**
 * Raises one incident on `indexes` (clients without one) and times how long until every one of
 * their rows shows it: until GET /clients?health=incident counts `before + indexes.length`.
 */
export async function incidentPropagation(
  api: ApiClient,
  publisherToken: string,
  readToken: string,
  indexes: number[],
): Promise<{ clients: number; ackMs: number; visibleMs: number }> {
  await api.settle();
  const before = await healthTotal(api, readToken, 'incident');
  const started = performance.now();
  await raiseIssue(api, publisherToken, indexes, 'incident', `bench-burst-${Date.now()}`);
  const ackMs = performance.now() - started;
  await waitUntil(
    async () => (await healthTotal(api, readToken, 'incident')) >= before + indexes.length,
    300_000,
    10,
  );
  return {
    clients: indexes.length,
    ackMs: Math.round(ackMs),
    visibleMs: Math.round(performance.now() - started),
  };
}
