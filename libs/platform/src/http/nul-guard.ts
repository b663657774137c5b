import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../errors/problem.filter.js';
import { ValidationProblem } from '../errors/problem.js';

/** The path of the first string holding U+0000 (PostgreSQL cannot store it in text or jsonb), if any. */
export function findNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes('\u0000')) return path ? `${path}.${key}` : key;
      const found = findNul(inner, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** Fastify hook: a request carrying a NUL character anywhere gets 400 naming where, before any handler. */
export async function rejectNulCharacters(
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
  const where = url.includes('\u0000') ? 'url' : findNul(request.body);
  if (where) {
    sendProblem(reply, new ValidationProblem([{ path: where, message: 'must not contain NUL characters' }]));
    return reply;
  }
}
