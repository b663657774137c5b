/**
 * Errors a decider or handler throws. Each names what went wrong in domain terms; the platform's
 * error filter maps the kind to an HTTP status in one place (never in controllers).
 */
export type DomainErrorKind =
  | 'invalid' // 400 (or 422 with a field): the command makes no sense
  | 'unauthenticated' // 401
  | 'forbidden' // 403: the caller may not do this
  | 'not-found' // 404: unknown, or belongs to someone else
  | 'conflict' // 409: the state does not allow it now, or a concurrent writer won
  | 'gone' // 410: revoked or expired
  | 'precondition-failed' // 412: If-Match no longer matches
  | 'unprocessable' // 422
  | 'too-many-requests' // 429
  | 'unavailable'; // 503

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details: { field?: string; reason?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (message: string, field?: string) => new DomainError('invalid', message, { field });
export const forbidden = (message: string, reason?: string) =>
  new DomainError('forbidden', message, { reason });
export const notFound = (what: string) => new DomainError('not-found', `${what} not found`);
export const conflict = (message: string, reason?: string) =>
  new DomainError('conflict', message, { reason });
export const gone = (message: string, reason?: string) => new DomainError('gone', message, { reason });

/** A concurrent writer appended to the stream first. */
export class ConcurrencyError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super('conflict', `stream ${streamId} is at version ${actual}, expected ${expected}`, {
      reason: 'concurrent-change',
    });
  }
}
