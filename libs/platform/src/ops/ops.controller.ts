import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { SqlClient } from '@dap/eventsourcing';
import { ConsumerProgress } from '@dap/messaging';
import type { KafkaDistribution } from '@dap/messaging/kafka';
import { Public } from '../auth/decorators.js';
import { EventStores } from '../runtime/event-stores.js';
import { KAFKA, SQL_CLIENT } from '../runtime/tokens.js';
import { consumerLag } from './consumer-lag.js';
import { Metrics } from './metrics.js';

/** Operations endpoints, outside /api/v1 and without a token. */
@ApiExcludeController()
@Public()
@Controller()
export class OpsController {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(EventStores) private readonly stores: EventStores,
    @Inject(ConsumerProgress) private readonly progress: ConsumerProgress,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(KAFKA) private readonly kafka: KafkaDistribution | null,
  ) {}

  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const store = await this.db.query('SELECT 1').then(
      () => ({ status: 'up' }),
      (e: Error) => ({ status: 'down', error: e.message }),
    );
    const lag = await consumerLag(this.progress, this.stores);
    const started = lag.every((l) => l.position >= 0);
    const bus = this.kafka
      ? { mode: 'kafka', reachable: await this.kafka.reachable(), consumersStarted: started }
      : { mode: 'store-log', reachable: true, consumersStarted: started };
    const ok = store.status === 'up' && started && bus.reachable;
    void reply.status(ok ? 200 : 503);
    return {
      status: ok ? 'ready' : 'not-ready',
      store,
      bus: { mode: 'store-log', consumersStarted: started },
      projections: lag,
    };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metricsText() {
    return this.metrics.registry.metrics();
  }
}
