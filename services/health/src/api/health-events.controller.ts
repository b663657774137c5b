import { Controller, Get, Headers, Inject, Query, Res, type OnModuleDestroy } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { invalid, type EventStore } from '@dap/eventsourcing';
import { CurrentPrincipal, ReadModel, Roles, type Principal } from '@dap/platform';
import { healthEvents } from '../application/health-event-stream.js';
import { HealthQueries } from '../application/health-queries.js';
import { scopeOf } from '../application/health-scope.js';
import { HEALTH_STORE } from '../application/health-store.js';
import { PARTNER_CLIENTS_CONSUMER } from '../projections/partner-clients.projection.js';
import { HealthStreamQueryDto } from './health-issue.dto.js';

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events of the caller's health events, for downstream systems that do not read Kafka.
 * Each event's SSE id is its position in the health store: reconnecting with `Last-Event-ID`
 * resumes right after it.
 */
@ApiTags('health')
@ApiBearerAuth()
@Controller('health-events')
export class HealthEventsController implements OnModuleDestroy {
  private readonly open = new Set<AbortController>();

  constructor(
    @Inject(HEALTH_STORE) private readonly store: EventStore,
    @Inject(HealthQueries) private readonly queries: HealthQueries,
  ) {}

  @Get('stream')
  @ApiProduces('text/event-stream')
  @Roles('partner.admin', 'partner.agent', 'client.admin', 'platform.health-publisher')
  @ReadModel(PARTNER_CLIENTS_CONSUMER)
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Query() query: HealthStreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const scope = scopeOf(principal);
    const resumeFrom = lastEventId ?? query.lastEventId;
    if (resumeFrom !== undefined && !/^\d{1,15}$/.test(resumeFrom))
      throw invalid('Last-Event-ID must be an event id from this stream', 'Last-Event-ID');
    if (query.clientId !== undefined) await this.queries.assertVisible(scope, query.clientId);

    const abort = new AbortController();
    this.open.add(abort);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-correlation-id': String(reply.request.id),
    });
    raw.write(': health events\nretry: 2000\n\n');
    raw.on('close', () => abort.abort());
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    try {
      const events = healthEvents(this.store, this.queries, scope, {
        after: resumeFrom === undefined ? 0 : Number(resumeFrom),
        clientId: query.clientId,
        signal: abort.signal,
      });
      for await (const event of events) {
        raw.write(`id: ${event.globalPosition}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      }
    } catch (error) {
      reply.log.warn({ err: error }, 'health event stream failed');
    } finally {
      clearInterval(heartbeat);
      this.open.delete(abort);
      raw.end();
    }
  }

  /** Ends open streams so that the server can close. */
  onModuleDestroy(): void {
    for (const abort of this.open) abort.abort();
  }
}
