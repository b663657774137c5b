import { SERVICES } from '@dap/contracts';
import type { EventStore } from '@dap/eventsourcing';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { ConsumerProgress } from '../consumer-progress.js';
import type { EventSource } from '../event-consumer.js';
import type { IdempotentConsumer } from '../idempotent-consumer.js';
import { KafkaEventSource, type KafkaEventSourceOptions } from './kafka-event-source.js';
import { registerKafkaLagMetrics, type ConsumerGroupTopics } from './kafka-lag.js';
import { KafkaRelay, type KafkaRelayOptions } from './kafka-relay.js';
import { createKafka, kafkaSettingsFromEnv, type KafkaSettings } from './kafka-settings.js';
import { ensureTopics } from './kafka-topics.js';

/**
 * Everything a service process needs for Kafka delivery, behind one object the platform creates at
 * start-up when KAFKA_BROKERS is set:
 *
 *   const kafka = KafkaDistribution.fromEnv(process.env, 'consent');
 *   if (kafka) {
 *     await kafka.ensureTopics();                                  // before consumers start
 *     consumerHost.useFactory(kafka.eventSourceFactory(progress)); // consumers read topics
 *     await kafka.startRelay(ownStore, ownSchemaInbox);           // own store → own topic
 *     kafka.registerMetrics(registry, () => consumerHost.consumers());
 *     // on shutdown, after the consumer host stopped its sources: await kafka.stop();
 *   }
 */
export class KafkaDistribution {
  readonly kafka: Kafka;
  private readonly relays: KafkaRelay[] = [];
  private readonly closers: (() => Promise<void>)[] = [];

  constructor(readonly settings: KafkaSettings) {
    this.kafka = createKafka(settings);
  }

  /** Undefined when KAFKA_BROKERS is unset (in-process delivery); throws on a bad value. */
  static fromEnv(
    env: Record<string, string | undefined> = process.env,
    clientId = 'dap',
  ): KafkaDistribution | undefined {
    const settings = kafkaSettingsFromEnv(env, clientId);
    return settings && new KafkaDistribution(settings);
  }

  /** Creates the services' topics and dead-letter topics that do not exist yet. */
  ensureTopics(services: readonly string[] = SERVICES): Promise<void> {
    return ensureTopics(this.kafka, services, this.settings);
  }

  /** The EventSource factory for the consumer host: one Kafka source per consuming schema. */
  eventSourceFactory(
    progress: ConsumerProgress,
    options: KafkaEventSourceOptions = {},
  ): (inbox: IdempotentConsumer) => EventSource {
    return (inbox) => new KafkaEventSource(this.kafka, inbox, progress, options);
  }

  /** Starts publishing the process's own store (checkpoint `<store>.relay` in `checkpoints`' schema). */
  async startRelay(
    store: EventStore,
    checkpoints: IdempotentConsumer,
    options: KafkaRelayOptions = {},
  ): Promise<KafkaRelay> {
    const relay = new KafkaRelay(this.kafka, store, checkpoints, options);
    await relay.start();
    this.relays.push(relay);
    return relay;
  }

  /** Registers the consumer-lag gauge for the groups of this process's consumers. */
  registerMetrics(
    registry: Registry,
    consumers: () => readonly { name: string; sources: readonly string[] }[],
  ): void {
    const groups = (): ConsumerGroupTopics[] =>
      consumers().map((c) => ({ group: c.name, sources: c.sources }));
    this.closers.push(registerKafkaLagMetrics(registry, this.kafka, groups));
  }

  /** For /health/ready: true when a broker answers a metadata request within `timeoutMs`. */
  async reachable(timeoutMs = 2000): Promise<boolean> {
    const admin = this.kafka.admin();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    });
    try {
      await Promise.race([admin.connect().then(() => admin.describeCluster()), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Stops the relays (each finishes its batch in flight) and the metrics' admin client. */
  async stop(): Promise<void> {
    await Promise.all(this.relays.splice(0).map((r) => r.stop()));
    await Promise.all(this.closers.splice(0).map((close) => close()));
  }
}
