import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { DomainError } from '@dap/eventsourcing';
import { problem, STATUS_OF, ValidationProblem, type Problem } from './problem.js';

/** Errors Fastify and its router raise, with the detail a caller can act on. */
const FRAMEWORK_DETAILS: Record<string, () => Problem> = {
  FST_ERR_BAD_URL: () =>
    problem(400, 'the request is not valid', {
      errors: [{ path: 'url', message: 'is not valid percent-encoding' }],
    }),
  FST_ERR_MAX_PARAM_LENGTH: () => problem(414, 'a path segment is longer than this API allows'),
  FST_ERR_CTP_INVALID_JSON_BODY: () =>
    problem(400, 'the request is not valid', { errors: [{ path: 'body', message: 'is not valid JSON' }] }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    problem(400, 'the request is not valid', { errors: [{ path: 'body', message: 'must not be empty' }] }),
  FST_ERR_CTP_BODY_TOO_LARGE: () => problem(413, 'the request body is too large'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    problem(415, 'a request body must be JSON: send it with Content-Type: application/json'),
};

function frameworkProblem(error: unknown): Problem | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && Object.hasOwn(FRAMEWORK_DETAILS, code)
    ? FRAMEWORK_DETAILS[code]()
    : undefined;
}

const clientStatus = (status: unknown) =>
  typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500 ? status : null;

/**
 * Maps any error to a problem+json answer: the one place where domain, validation, framework and
 * database errors become HTTP. What it does not know is a 500.
 */
export function toProblem(error: unknown): Problem {
  if (error instanceof ValidationProblem)
    return problem(400, 'the request is not valid', { errors: error.errors });
  if (error instanceof DomainError) {
    const status = STATUS_OF[error.kind];
    return problem(status, error.message, {
      ...(error.details.field && { errors: [{ path: error.details.field, message: error.message }] }),
      ...(error.details.reason && { reason: error.details.reason }),
    });
  }
  // Nest wraps Fastify's own 4xx errors in an HttpException whose cause is the original.
  const framework = frameworkProblem(error) ?? frameworkProblem((error as { cause?: unknown })?.cause);
  if (framework) return framework;
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const message =
      typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
    return problem(error.getStatus(), Array.isArray(message) ? message.join('; ') : String(message));
  }
  const other = (error ?? {}) as {
    statusCode?: unknown;
    status?: unknown;
    code?: unknown;
    message?: unknown;
  };
  // A PostgreSQL data exception (SQLSTATE class 22: a value it cannot take) comes from input that
  // slipped past validation: still the caller's, never a 5xx.
  if (typeof other.code === 'string' && /^22[0-9A-Z]{3}$/.test(other.code) && !other.statusCode)
    return problem(400, 'a value in the request is not valid');
  // Fastify's and plugins' errors carry their HTTP status (`statusCode`, or `status` as http-errors do).
  const status = clientStatus(other.statusCode) ?? clientStatus(other.status);
  if (status)
    return problem(
      status,
      typeof other.message === 'string' && other.message ? other.message : 'bad request',
    );
  return problem(500, 'an unexpected error occurred');
}

/** Where a request was going, for the log line of an error nobody mapped. */
const whereOf = (request: FastifyRequest | undefined) =>
  request && {
    method: request.method,
    url: request.url?.slice(0, 500),
    route: request.routeOptions?.url ?? 'unmatched',
    reqId: request.id,
  };

export function sendProblem(reply: FastifyReply, error: unknown, logger?: Logger): void {
  const body = toProblem(error);
  if (body.status >= 500 && !(error instanceof DomainError))
    (logger ?? reply.log)?.error(
      { err: error, request: whereOf(reply.request) },
      `unhandled error answered 500: ${(error as Error)?.message ?? String(error)}`,
    );
  if (reply.sent || reply.raw.headersSent) {
    // The answer has started (a stream that failed midway): nothing can be said any more.
    reply.raw.destroy();
    return;
  }
  if (error instanceof DomainError && error.details.retryAfterSeconds !== undefined)
    void reply.header('Retry-After', String(error.details.retryAfterSeconds));
  void reply.status(body.status).header('Content-Type', 'application/problem+json').send(body);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger?: Logger) {}
  catch(error: unknown, host: ArgumentsHost): void {
    sendProblem(host.switchToHttp().getResponse<FastifyReply>(), error, this.logger);
  }
}
