import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a caller's `X-Correlation-Id` may be: it goes into logs and event metadata as it is. */
const ACCEPTED = /^[\x21-\x7e]{1,128}$/;

/** Fastify's `genReqId`: the caller's `X-Correlation-Id` when it is 1..128 visible ASCII characters, else a new UUID. */
export function correlationId(request: IncomingMessage): string {
  const given = request.headers['x-correlation-id'];
  return typeof given === 'string' && ACCEPTED.test(given) ? given : randomUUID();
}
