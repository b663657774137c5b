import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { sendProblem } from '../errors/problem.filter.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A route pattern (`/api/v1/offers/:id/send`) as a regular expression over request paths. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : escape(segment)))
    .join('/');
  return new RegExp(`^${source.replace(/\/$/, '')}/?$`);
}

/**
 * 405 with `Allow` for a path that exists under other methods (Fastify and Nest answer 404):
 * `record` is an `onRoute` hook, `check` an `onRequest` hook that acts only on unmatched requests.
 */
export class MethodTable {
  private readonly routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();

  record = (route: RouteOptions): void => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const entry = this.routes.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set() };
    for (const m of methods) entry.methods.add(m.toUpperCase());
    this.routes.set(route.url, entry);
  };

  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const { pattern, methods: of } of this.routes.values())
      if (pattern.test(path)) for (const m of of) methods.add(m);
    return [...methods].sort();
  }

  check = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    if (!request.is404) return;
    const allowed = this.allowed(request.url.split('?')[0]);
    if (allowed.length === 0 || allowed.includes(request.method)) return;
    void reply.header('Allow', allowed.join(', '));
    sendProblem(reply, new MethodNotAllowed(request.method, allowed));
    return reply;
  };
}

/** A method the resource does not support (405). */
export class MethodNotAllowed extends Error {
  readonly statusCode = 405;
  constructor(method: string, allowed: string[]) {
    super(`${method} is not allowed here; allowed: ${allowed.join(', ')}`);
  }
}
