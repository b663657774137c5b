import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ConsumerProgress } from '@dap/messaging';
import { EventStores } from '../runtime/event-stores.js';
import { consumerLag } from './consumer-lag.js';

/** Prometheus metrics of one process: request durations, events appended, consumer lag. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route pattern (never the raw URL)',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly eventsAppended = new Counter({
    name: 'events_appended_total',
    help: 'Events appended by this process',
    labelNames: ['store'],
    registers: [this.registry],
  });

  constructor(
    @Inject(EventStores) stores: EventStores,
    @Inject(ConsumerProgress) progress: ConsumerProgress,
  ) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'projection_lag_events',
      help: 'Positions between a source store head and a consumer checkpoint',
      labelNames: ['consumer', 'source'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { consumer, source, lag } of await consumerLag(progress, stores))
          this.set({ consumer, source }, lag);
      },
    });
  }
}
