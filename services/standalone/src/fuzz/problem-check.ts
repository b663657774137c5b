import type { FuzzRequest } from './bad-requests.js';

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Sends a generated request; an event stream that opens is closed at once (it is a success). */
export async function send(baseUrl: string, request: FuzzRequest): Promise<Answer> {
  const response = await fetch(`${baseUrl}${request.url}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(15_000),
  });
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, contentType, text: '' };
  }
  return { status: response.status, contentType, text: await response.text() };
}

/**
 * What is wrong with an answer, or null: no 5xx; a command carrying a defect must not succeed; every
 * error is complete problem+json (RFC 9457 `type`, `title`, `status` equal to the HTTP status, `detail`).
 */
export function complaint(request: Pick<FuzzRequest, 'mustFail'>, answer: Answer): string | null {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (answer.status < 400) return request.mustFail ? `accepted bad input with ${answer.status}` : null;
  if (!/^application\/problem\+json\b/.test(answer.contentType))
    return `error ${answer.status} as ${answer.contentType || 'no content type'}: ${answer.text.slice(0, 200)}`;
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `error ${answer.status} whose problem+json body is not JSON: ${answer.text.slice(0, 200)}`;
  }
  const missing = ['type', 'title', 'detail'].filter((k) => typeof body?.[k] !== 'string' || !body[k]);
  if (missing.length) return `problem without ${missing.join(', ')}: ${answer.text.slice(0, 200)}`;
  if (body.status !== answer.status) return `problem status ${body.status} on an HTTP ${answer.status}`;
  return null;
}

/** A request for a failure message, long values cut. */
export const describe = (r: FuzzRequest) =>
  JSON.stringify({
    method: r.method,
    url: r.url.slice(0, 300),
    headers: r.headers,
    body: r.body?.slice(0, 300),
    classes: r.classes,
  });
