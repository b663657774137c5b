import type { Problem } from './types';
import { getSession, setSession } from './session';

/** The public API's base path: the console calls nothing else (besides the development sign-in). */
export const API = '/api/v1';

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status() {
    return this.problem.status;
  }
}

/**
 * Positions of this tab's own writes, one per store (`consent:1042`). Reads send them back as
 * X-Min-Position so that a list shows what the user just did (read-your-writes).
 */
const positions = new Map<string, string>();

function remember(header: string | null) {
  for (const token of (header ?? '').split(',')) {
    const store = token.trim().split(':')[0];
    if (store) positions.set(store, token.trim());
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const session = getSession();
  return { ...(session && { authorization: `Bearer ${session.token}` }), ...extra };
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Problem;
    return { ...body, status: body.status ?? response.status };
  } catch {
    return { status: response.status, title: response.statusText, detail: text.slice(0, 300) || undefined };
  }
}

export async function request<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ body: T; headers: Headers }> {
  const headers = authHeaders({ accept: 'application/json', ...options.headers });
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'GET' && positions.size) headers['x-min-position'] = [...positions.values()].join(',');
  let response: Response;
  try {
    response = await fetch(API + withQuery(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      // The API sends no Cache-Control, and a 404 or 410 is heuristically cacheable: always ask again.
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError({ status: 0, title: 'Network error', detail: (error as Error).message });
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    // An expired or foreign token: sign out, the sign-in form explains.
    if (response.status === 401 && getSession()) setSession(null);
    throw new ApiError(problem);
  }
  remember(response.headers.get('x-event-position'));
  const text = await response.text();
  return { body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

export const api = {
  get: async <T>(path: string, query?: Query) => (await request<T>('GET', path, { query })).body,
  post: async <T>(path: string, body?: unknown, query?: Query) =>
    (await request<T>('POST', path, { body: body ?? {}, query })).body,
  put: async <T>(path: string, body: unknown) => (await request<T>('PUT', path, { body })).body,
  patch: async <T>(path: string, body: unknown, headers?: Record<string, string>) =>
    (await request<T>('PATCH', path, { body, headers })).body,
};

/** Downloads a CSV through fetch (the token goes in a header, never in the link). */
export async function download(path: string, query: Query, filename: string): Promise<void> {
  const response = await fetch(API + withQuery(path, query), { headers: authHeaders(), cache: 'no-store' });
  if (!response.ok) throw new ApiError(await problemOf(response));
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The development sign-in of a standalone instance on the development secret (404 elsewhere). */
export const devSignIn = {
  available: async (): Promise<boolean> => {
    try {
      return (await fetch(`${API}/dev/sign-in`)).ok;
    } catch {
      return false;
    }
  },
  token: async (sub: string, tid: string, role: string): Promise<string> =>
    (await request<{ token: string }>('POST', '/dev/token', { body: { sub, tid, role } })).body.token,
};
