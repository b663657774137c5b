import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { DomainError } from '@dap/eventsourcing';
import { problem, STATUS_OF, ValidationProblem, type Problem } from './problem.js';

/** Maps any error to a problem+json answer: the one place where domain errors become HTTP. */
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
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const message =
      typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
    return problem(error.getStatus(), Array.isArray(message) ? message.join('; ') : String(message));
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  // A PostgreSQL data exception (SQLSTATE class 22: a value it cannot take) comes from input that
  // slipped past validation: still the caller's, never a 5xx.
  if (
    typeof fastifyError?.code === 'string' &&
    /^22[0-9A-Z]{3}$/.test(fastifyError.code) &&
    !fastifyError.statusCode
  )
    return problem(400, 'a value in the request is not valid');
  if (fastifyError?.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return problem(413, 'the request body is too large');
  if (fastifyError?.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500)
    return problem(fastifyError.statusCode, fastifyError.message ?? 'bad request');
  return problem(500, 'an unexpected error occurred');
}

export function sendProblem(reply: FastifyReply, error: unknown, logger?: Logger): void {
  const body = toProblem(error);
  if (body.status >= 500) logger?.error({ err: error }, 'unhandled error');
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
