import { createHash } from 'node:crypto';
import {
  HttpStatus,
  Inject,
  Injectable,
  RequestMethod,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type OnModuleInit,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DomainError, migrate, type SqlClient } from '@dap/eventsourcing';
import { SQL_CLIENT } from '../runtime/tokens.js';
import { JsonAnswer } from './command-response.js';

export const idempotencyDdl = `
  CREATE SCHEMA IF NOT EXISTS platform;
  CREATE TABLE IF NOT EXISTS platform.idempotency_keys (
    scope text PRIMARY KEY,
    fingerprint text NOT NULL,
    status integer,
    headers jsonb,
    body text,
    created_at timestamptz NOT NULL DEFAULT now()
  );`;

const REPLAYED_HEADERS = ['x-event-position', 'etag', 'location', 'retry-after'];
const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `Idempotency-Key` on commands: the first answer is stored with a fingerprint of the request; the
 * same key and body get that answer again without running the command; the same key with another
 * body gets 422; a key whose first request is still running gets 409. Failed commands changed
 * nothing, so their key is released and may be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor, OnModuleInit {
  constructor(
    private readonly reflector: Reflector,
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrate(this.db, idempotencyDdl);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    const key = request.headers['idempotency-key'];
    if (key === undefined || !COMMAND_METHODS.has(request.method)) return next.handle();
    return from(this.run(context, request, String(key), next));
  }

  private async run(
    context: ExecutionContext,
    request: any,
    key: string,
    next: CallHandler,
  ): Promise<unknown> {
    if (!/^[\x21-\x7e]{1,200}$/.test(key))
      throw new DomainError('invalid', 'Idempotency-Key must be 1..200 visible characters', {
        field: 'Idempotency-Key',
      });
    const principal = request.principal ?? { tid: '-', sub: '-' };
    const scope = createHash('sha256')
      .update(JSON.stringify([principal.tid, principal.sub, key]))
      .digest('hex');
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([request.method, request.url, request.body ?? null]))
      .digest('hex');
    const [claimed] = await this.db.query(
      `INSERT INTO platform.idempotency_keys (scope, fingerprint) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING scope`,
      [scope, fingerprint],
    );
    if (!claimed) return this.replay(scope, fingerprint);
    try {
      const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const stored = this.capture(context, request, result);
      await this.db.query(
        `UPDATE platform.idempotency_keys SET status = $2, headers = $3, body = $4 WHERE scope = $1`,
        [scope, stored.status, JSON.stringify(stored.headers), stored.body],
      );
      return stored.response;
    } catch (error) {
      await this.db.query(`DELETE FROM platform.idempotency_keys WHERE scope = $1`, [scope]);
      throw error;
    }
  }

  private async replay(scope: string, fingerprint: string): Promise<JsonAnswer> {
    const [row] = await this.db.query<{
      fingerprint: string;
      status: number | null;
      headers: Record<string, string>;
      body: string | null;
    }>(`SELECT fingerprint, status, headers, body FROM platform.idempotency_keys WHERE scope = $1`, [scope]);
    if (!row) throw new DomainError('conflict', 'a request with this Idempotency-Key just failed; retry it');
    if (row.fingerprint !== fingerprint)
      throw new DomainError('unprocessable', 'this Idempotency-Key was used with another request', {
        field: 'Idempotency-Key',
      });
    if (row.status === null)
      throw new DomainError('conflict', 'a request with this Idempotency-Key is still in progress', {
        retryAfterSeconds: 1,
      });
    return new JsonAnswer(row.status, { ...row.headers, 'idempotent-replayed': 'true' }, row.body);
  }

  /** Normalises what the handler produced (a `JsonAnswer`, or a plain body) into what is stored. */
  private capture(context: ExecutionContext, request: any, result: unknown) {
    if (result instanceof JsonAnswer) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(result.headers))
        if (REPLAYED_HEADERS.includes(name) || name === 'content-type') headers[name] = value;
      return { status: result.status, headers, body: result.text ?? '', response: result };
    }
    const reply = context.switchToHttp().getResponse();
    const status =
      this.reflector.get<number | undefined>('__httpCode__', context.getHandler()) ??
      (request.method === RequestMethod[RequestMethod.POST] ? HttpStatus.CREATED : HttpStatus.OK);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    for (const name of REPLAYED_HEADERS)
      if (reply.getHeader(name)) headers[name] = String(reply.getHeader(name));
    const body = result === undefined ? '' : JSON.stringify(result);
    return { status, headers, body, response: result };
  }
}
