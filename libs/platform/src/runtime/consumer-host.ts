import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { SqlClient } from '@dap/eventsourcing';
import type { KafkaDistribution } from '@dap/messaging/kafka';
import {
  ConsumerProgress,
  IdempotentConsumer,
  OrderedBatchesTogether,
  SharedLogReader,
  StoreLogEventSource,
  type EventConsumer,
  type EventSource,
} from '@dap/messaging';
import type { AppConfig } from '../config/app-config.js';
import { Metrics } from '../ops/metrics.js';
import { EventStores } from './event-stores.js';
import { analyzeChangedTables } from './table-statistics.js';
import { joinWorkerBridge } from './worker-bridge.js';
import { APP_CONFIG, KAFKA, LOGGER, SQL_CLIENT } from './tokens.js';

/** How often, where the server's autovacuum is off, the consumers' tables are checked for ANALYZE. */
const STATISTICS_CHECK_MS = 10_000;

/**
 * Runs the consumers (projections, process managers) that service modules register while they
 * initialise. They start once every module has created its tables, and stop on shutdown.
 *
 * Delivery is chosen here, in one place: with KAFKA_BROKERS, the process relays its own stores to
 * their topics and its consumers read topics in consumer groups; without, consumers read the source
 * stores' logs directly (in one process, or across processes sharing one PostgreSQL database).
 */
@Injectable()
export class ConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly registered: { schema: string; consumer: EventConsumer }[] = [];
  private readonly sources: EventSource[] = [];
  private statisticsTimer?: NodeJS.Timeout;
  private analyzing: Promise<void> | null = null;

  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(EventStores) private readonly stores: EventStores,
    @Inject(ConsumerProgress) private readonly progress: ConsumerProgress,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(KAFKA) private readonly kafka: KafkaDistribution | null,
  ) {}

  /** Registers a consumer whose checkpoints live in `schema` (the consuming service's). */
  register(schema: string, consumer: EventConsumer): void {
    this.registered.push({ schema, consumer });
    this.progress.register(consumer.name, consumer.sources);
  }

  consumers(): EventConsumer[] {
    return this.registered.map((r) => r.consumer);
  }

  async onApplicationBootstrap(): Promise<void> {
    joinWorkerBridge(this.progress, this.config.backgroundWork);
    // An extra HTTP worker of the standalone process: another worker runs the consumers.
    if (!this.config.backgroundWork) return;
    await this.keepStatisticsWithoutAutovacuum();
    const onError = (consumer: string, error: unknown) =>
      this.logger.warn({ err: error, consumer }, 'consumer failed, retrying');
    let newSource: (inbox: IdempotentConsumer) => EventSource;
    let together: OrderedBatchesTogether | undefined;
    if (this.kafka) {
      await this.kafka.ensureTopics();
      for (const store of this.stores.own())
        await this.kafka.startRelay(store, await new IdempotentConsumer(this.db, store.name).migrate());
      this.kafka.registerMetrics(this.metrics.registry, () => this.consumers());
      newSource = this.kafka.eventSourceFactory(this.progress, { onError });
    } else {
      // One reader per store for all consumers: each event is read once, not once per consumer.
      const readers = new Map<string, SharedLogReader>();
      for (const name of new Set(this.registered.flatMap((r) => r.consumer.sources))) {
        await this.stores.ensure(name);
        readers.set(name, new SharedLogReader(this.stores.get(name)));
      }
      // The consumers woken by one append (across services) apply it in one transaction.
      together = new OrderedBatchesTogether(this.db);
      newSource = (inbox) =>
        new StoreLogEventSource((name) => readers.get(name)!, inbox, this.progress, {
          pollIntervalMs: this.config.pollIntervalMs,
          gatherMs: this.config.consumerGatherMs,
          onError,
        });
    }
    const bySchema = new Map<string, EventSource>();
    for (const { schema, consumer } of this.registered) {
      let source = bySchema.get(schema);
      if (!source) {
        source = newSource(await new IdempotentConsumer(this.db, schema, together).migrate());
        bySchema.set(schema, source);
        this.sources.push(source);
      }
      await source.start(consumer);
    }
  }

  /**
   * Read tables get their statistics from autovacuum. Where the server's is off, this process analyzes
   * its consumers' tables itself when enough of them changed, checked every {@link STATISTICS_CHECK_MS}.
   */
  private async keepStatisticsWithoutAutovacuum(): Promise<void> {
    const [row] = await this.db.query<{ autovacuum: string }>('SHOW autovacuum').catch(() => []);
    if (!row || row.autovacuum === 'on') return;
    this.logger.warn(
      'autovacuum is off on this PostgreSQL server: the services analyze their own read tables when enough of their rows changed, as autovacuum would; turn it on for vacuuming',
    );
    const schemas = [...new Set(this.registered.map((r) => r.schema))];
    this.statisticsTimer = setInterval(() => {
      if (this.analyzing) return;
      this.analyzing = analyzeChangedTables(this.db, schemas)
        .then(
          (tables) => void (tables.length && this.logger.info({ tables }, 'analyzed changed tables')),
          (err: unknown) => this.logger.warn({ err }, 'analyzing changed tables failed'),
        )
        .finally(() => (this.analyzing = null));
    }, STATISTICS_CHECK_MS).unref();
  }

  /** Stops fetching, lets in-flight batches commit, then stops the relays (before the database closes). */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.statisticsTimer);
    await this.analyzing;
    await Promise.all(this.sources.map((s) => s.stop()));
    await this.kafka?.stop();
  }
}
