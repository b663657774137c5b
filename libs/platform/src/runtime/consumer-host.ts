import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { SqlClient } from '@dap/eventsourcing';
import {
  ConsumerProgress,
  IdempotentConsumer,
  StoreLogEventSource,
  type EventConsumer,
  type EventSource,
} from '@dap/messaging';
import type { AppConfig } from '../config/app-config.js';
import { EventStores } from './event-stores.js';
import { APP_CONFIG, LOGGER, SQL_CLIENT } from './tokens.js';

/** Builds the event source for a consuming service's schema; distributed mode swaps it for Kafka. */
export type EventSourceFactory = (inbox: IdempotentConsumer) => EventSource;

/**
 * Runs the consumers (projections, process managers) that service modules register while they
 * initialise. They start once every module has created its tables, and stop on shutdown.
 */
@Injectable()
export class ConsumerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly registered: { schema: string; consumer: EventConsumer }[] = [];
  private readonly sources: EventSource[] = [];
  private factory: EventSourceFactory;

  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(EventStores) private readonly stores: EventStores,
    @Inject(ConsumerProgress) private readonly progress: ConsumerProgress,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.factory = (inbox) =>
      new StoreLogEventSource((name) => stores.get(name), inbox, progress, {
        pollIntervalMs: config.pollIntervalMs,
        onError: (consumer, error) => this.logger.warn({ err: error, consumer }, 'consumer failed, retrying'),
      });
  }

  useFactory(factory: EventSourceFactory): void {
    this.factory = factory;
  }

  /** Registers a consumer whose checkpoints live in `schema` (the consuming service's). */
  register(schema: string, consumer: EventConsumer): void {
    this.registered.push({ schema, consumer });
    this.progress.register(consumer.name, consumer.sources);
  }

  consumers(): EventConsumer[] {
    return this.registered.map((r) => r.consumer);
  }

  async onApplicationBootstrap(): Promise<void> {
    const bySchema = new Map<string, EventSource>();
    for (const { schema, consumer } of this.registered) {
      // A source store another process owns may not exist yet in this database: create it empty.
      for (const name of consumer.sources) await this.stores.open(name);
      let source = bySchema.get(schema);
      if (!source) {
        source = this.factory(await new IdempotentConsumer(this.db, schema).migrate());
        bySchema.set(schema, source);
        this.sources.push(source);
      }
      await source.start(consumer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.stop()));
  }
}
