import { waitUntil, type ApiClient } from './api-client.js';
import type { RequestSpec } from './http-load.js';

export interface BurstLag {
  commands: number;
  /** First send until the last acknowledgement. */
  sendMs: number;
  /** Last acknowledgement until a read without X-Min-Position shows every command. */
  visibleMs: number;
  /** Last acknowledgement until /health/ready reports no lag in any consumer. */
  settledMs: number;
}

const openRequests = async (api: ApiClient, token: string, clientId: string) =>
  (await api.ok<{ openServiceRequests: number }>('GET', `/api/v1/clients/${clientId}`, token))
    .openServiceRequests;

async function send(api: ApiClient, spec: RequestSpec): Promise<void> {
  const r = await fetch(`${api.baseUrl}${spec.path}`, {
    method: spec.method,
    headers: { 'content-type': 'application/json', ...spec.headers },
    body: spec.body,
  });
  await r.arrayBuffer();
  if (r.status >= 300) throw new Error(`${spec.method} ${spec.path} answered ${r.status}`);
}

/**
 * Sends `commands` service requests for one client, `concurrency` at a time, then times how long
 * after the last acknowledgement the client's row (GET /clients/{id}, no X-Min-Position) counts
 * them all, and until every consumer reports no lag.
 */
export async function burstLag(
  api: ApiClient,
  readToken: string,
  clientId: string,
  next: () => RequestSpec,
  commands: number,
  concurrency: number,
): Promise<BurstLag> {
  await api.settle();
  const before = await openRequests(api, readToken, clientId);
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < commands) {
        sent++;
        await send(api, next());
      }
    }),
  );
  const acked = performance.now();
  const visibleMs = await waitUntil(
    async () => (await openRequests(api, readToken, clientId)) >= before + commands,
    60_000,
    2,
  );
  const settledMs = await waitUntil(async () => (await api.projectionLag()) === 0, 60_000, 5);
  return {
    commands,
    sendMs: Math.round(acked - started),
    visibleMs: Math.round(visibleMs),
    settledMs: Math.round(settledMs),
  };
}

/**
 * One command at a time, `samples` times: milliseconds from its acknowledgement until the client's
 * row shows it, polled every 2 ms without X-Min-Position. Returns p50 and p99.
 */
export async function singleCommandLag(
  api: ApiClient,
  readToken: string,
  clientId: string,
  next: () => RequestSpec,
  samples: number,
): Promise<{ p50: number; p99: number; samples: number }> {
  await api.settle();
  let count = await openRequests(api, readToken, clientId);
  const lags: number[] = [];
  for (let s = 0; s < samples; s++) {
    await send(api, next());
    count += 1;
    const target = count;
    lags.push(
      await waitUntil(async () => (await openRequests(api, readToken, clientId)) >= target, 10_000, 2),
    );
  }
  lags.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(lags[Math.min(lags.length - 1, Math.floor(lags.length * p))] * 10) / 10;
  return { p50: at(0.5), p99: at(0.99), samples };
}
