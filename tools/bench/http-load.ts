import { createRequire } from 'node:module';

interface AutocannonResult {
  latency: { p50: number; p99: number };
  requests: { total: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats?: Record<string, { count: number }>;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: object,
) => Promise<AutocannonResult>;

/** What the next request of a load run is (called once per request). */
export interface RequestSpec {
  method?: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadFigures {
  /** Successful (2xx) responses per second of the run. */
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  /** Non-2xx answers and socket errors/timeouts, with the status codes seen. */
  failed: number;
  statuses: string;
}

/**
 * Drives `connections` concurrent keep-alive connections for `seconds` with autocannon, each
 * request built by `next` (or the fixed `path`), optionally capped at `maxRequests` overall.
 */
export async function load(
  baseUrl: string,
  connections: number,
  seconds: number,
  next: RequestSpec | (() => RequestSpec),
  maxRequests?: number,
): Promise<LoadFigures> {
  const build = typeof next === 'function' ? next : () => next;
  const first = build();
  const r = await autocannon({
    url: `${baseUrl}${first.path}`,
    connections,
    duration: seconds,
    ...(maxRequests !== undefined && { maxOverallRequests: Math.max(maxRequests, connections) }),
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const spec = typeof next === 'function' ? build() : first;
          return {
            ...req,
            method: spec.method ?? 'GET',
            path: spec.path,
            headers: { ...(spec.body && { 'content-type': 'application/json' }), ...spec.headers },
            ...(spec.body !== undefined && { body: spec.body }),
          };
        },
      },
    ],
  });
  // Requests the run gave up on may still be in the server (its pool queue): wait for them to drain,
  // through /health/ready (which queries the database), so the next run starts on a quiet server.
  const drainStarted = performance.now();
  await fetch(`${baseUrl}/health/ready`).then((d) => d.arrayBuffer());
  const drainMs = Math.round(performance.now() - drainStarted);
  const statuses = Object.entries(r.statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, s]) => `${code}×${s.count}`)
    .concat(r.errors ? [`errors×${r.errors}`] : [])
    .concat(r['2xx'] === 0 ? ['no 2xx answer within the run'] : [])
    .concat(drainMs > 200 ? [`server busy ${drainMs} ms after the run`] : [])
    .join(' ');
  return {
    rps: r['2xx'] / Math.max(r.duration, 0.001),
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    failed: r.non2xx + r.errors,
    statuses,
  };
}

/**
 * Runs a path unmeasured at 8 connections for `seconds` before its levels are measured: V8 optimises code
 * only once it has run a while and the server fills its plan and page caches, so without this the first
 * level measured (one connection) would also measure the warming up.
 */
export async function warmUp(
  baseUrl: string,
  seconds: number,
  next: RequestSpec | (() => RequestSpec),
  maxRequests?: number,
): Promise<void> {
  if (seconds > 0) await load(baseUrl, 8, seconds, next, maxRequests);
}
