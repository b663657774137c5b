import { DEV_JWT_SECRET, mintToken } from '@dap/platform';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Send {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Request = <T = any>(method: string, path: string, options?: Send) => Promise<Reply<T>>;

/** JSON over HTTP to a running process, as any client would call it. */
export const httpClient =
  (baseUrl: string): Request =>
  async (method, path, { token, body, headers = {} } = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as any };
  };

/** A development token, as `npm run token` mints for the standalone process. */
export const devToken = (sub: string, tid: string, roles: string[]) =>
  mintToken(DEV_JWT_SECRET, { sub, tid, roles });

/** The number in an ETag such as `"3"`. */
export const versionOf = (reply: Reply): number => Number(/\d+/.exec(reply.headers.get('etag') ?? '')?.[0]);

/** The global position in an X-Event-Position such as `consent:12`. */
export const positionOf = (reply: Reply): number =>
  Number(/:(\d+)$/.exec(reply.headers.get('x-event-position') ?? '')?.[1]);
