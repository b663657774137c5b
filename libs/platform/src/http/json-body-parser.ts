import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationProblem } from '../errors/problem.js';
import { findRefused } from './refused-content.js';

/**
 * The deepest nesting of arrays and objects a JSON body may have. The deepest body the API defines
 * is 4 levels (`client.address.line1` inside an accept); 32 leaves room and keeps the recursive
 * class-transformer and class-validator walks far from the call-stack limit.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a JSON text nests arrays and objects deeper than `limit`: one pass over the characters, no
 * recursion, stopping at the first level too deep. Brackets inside strings do not count; a text that
 * is not JSON may be misjudged, but the parser refuses it anyway.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

const kindOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

const bodyProblem = (message: string) => new ValidationProblem([{ path: 'body', message }]);

type Done = (error: Error | null, body?: unknown) => void;

/**
 * The one parser for `application/json` bodies. Every command body of this API is a JSON object,
 * so before any DTO sees it a body answers 400 naming it when it is empty, nests deeper than
 * {@link MAX_JSON_DEPTH}, is not JSON (or poisons `__proto__`/`constructor`: Fastify's secure
 * parser), is not an object (`null`, an array, a string, a number, a boolean), or holds a key or
 * string PostgreSQL cannot store (NUL, a lone surrogate) or a reserved key (`constructor`, …).
 * Body size limits stay Fastify's (413).
 */
export function jsonBodyParser(fastify: FastifyInstance) {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (request: FastifyRequest, text: string, done: Done): void => {
    if (text.trim().length === 0) return done(bodyProblem('must not be empty: send a JSON object'));
    if (nestsDeeperThan(text, MAX_JSON_DEPTH))
      return done(bodyProblem(`must not nest arrays and objects deeper than ${MAX_JSON_DEPTH} levels`));
    parse(request, text, (error: Error | null, value?: unknown) => {
      if (error) return done(error);
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return done(bodyProblem(`must be a JSON object, not ${kindOf(value)}`));
      const bad = findRefused(value);
      if (bad) return done(new ValidationProblem([bad]));
      done(null, value);
    });
  };
}

/**
 * Makes `application/json` the only body type the server takes (others answer 415): Fastify's own
 * JSON and text parsers are replaced by {@link jsonBodyParser}.
 */
export function acceptOnlyJsonBodies(fastify: FastifyInstance): void {
  const parser = jsonBodyParser(fastify);
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, parser);
}
