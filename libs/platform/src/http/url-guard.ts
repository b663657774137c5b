import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../errors/problem.filter.js';
import { ValidationProblem } from '../errors/problem.js';
import { reservedKey, unstorable } from './refused-content.js';

/**
 * Fastify `onRequest` hook: a URL (path or query) that is not valid percent-encoded UTF-8, or that
 * decodes to characters PostgreSQL cannot store, or whose query names a reserved key (`constructor`,
 * …), gets 400 naming it before routing to any handler.
 * Bodies get the same check in the JSON body parser.
 */
export async function rejectUnstorableUrl(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | void> {
  let url: string;
  try {
    url = decodeURIComponent(request.url);
  } catch {
    sendProblem(reply, new ValidationProblem([{ path: 'url', message: 'is not valid percent-encoding' }]));
    return reply;
  }
  const message = unstorable(url);
  if (message) {
    sendProblem(reply, new ValidationProblem([{ path: 'url', message }]));
    return reply;
  }
  const query = (request.query ?? {}) as Record<string, unknown>;
  const reserved = Object.keys(query).find((key) => reservedKey(key));
  if (reserved) {
    sendProblem(reply, new ValidationProblem([{ path: reserved, message: reservedKey(reserved)! }]));
    return reply;
  }
}
