/** A small fetch wrapper over the standalone's HTTP API, for set-up calls and polls. */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<ApiAnswer<T>> {
    const r = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(token && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: r.status, body: parsed as T, headers: r.headers };
  }

  /** Like `call`, but throws unless the answer is 2xx. */
  async ok<T = Record<string, unknown>>(method: string, path: string, token: string | null, body?: unknown) {
    const answer = await this.call<T>(method, path, token, body);
    if (answer.status >= 300)
      throw new Error(
        `${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`,
      );
    return answer.body;
  }

  /** Total projection lag reported by /health/ready (0 when every consumer has caught up). */
  async projectionLag(): Promise<number> {
    const { body } = await this.call<{ projections?: { lag: number }[] }>('GET', '/health/ready', null);
    return (body.projections ?? []).reduce((sum, p) => sum + p.lag, 0);
  }

  /** Waits until every consumer has caught up with its sources. */
  async settle(timeoutMs = 300_000): Promise<number> {
    return waitUntil(async () => (await this.projectionLag()) === 0, timeoutMs);
  }
}

/** Polls `check` every `intervalMs` until it holds; returns the milliseconds it took. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 10,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
