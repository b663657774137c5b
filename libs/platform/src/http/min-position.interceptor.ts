import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { DomainError } from '@dap/eventsourcing';
import { ConsumerProgress } from '@dap/messaging';
import { READ_MODEL_KEY } from './read-model.decorator.js';

export const MIN_POSITION_TIMEOUT_MS = 5000;

export function parsePositionTokens(header: string): { store: string; position: number }[] {
  return header.split(',').map((raw) => {
    const match = /^\s*([a-z][a-z0-9-]*):(\d{1,15})\s*$/.exec(raw);
    if (!match)
      throw new DomainError('invalid', 'X-Min-Position must be <store>:<position>[,...]', {
        field: 'X-Min-Position',
      });
    return { store: match[1], position: Number(match[2]) };
  });
}

/**
 * Read-your-writes: a read carrying `X-Min-Position` waits (at most 5 s, then 503 + Retry-After)
 * until the consumers behind the endpoint have processed every named position. Tokens of stores
 * those consumers do not follow are ignored.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ConsumerProgress) private readonly progress: ConsumerProgress,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const header = context.switchToHttp().getRequest().headers['x-min-position'];
    if (header !== undefined) {
      const tokens = parsePositionTokens(String(header));
      const consumers =
        this.reflector.getAllAndOverride<string[] | undefined>(READ_MODEL_KEY, [
          context.getHandler(),
          context.getClass(),
        ]) ?? [];
      const deadline = Date.now() + MIN_POSITION_TIMEOUT_MS;
      for (const { store, position } of tokens) {
        const ok = await this.progress.waitFor(
          consumers,
          store,
          position,
          Math.max(0, deadline - Date.now()),
        );
        if (!ok)
          throw new DomainError('unavailable', `the read model has not reached ${store}:${position} yet`, {
            retryAfterSeconds: 1,
          });
      }
    }
    return next.handle();
  }
}
