import { topicFor } from '@dap/contracts';
import type { Admin, Kafka } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';

export interface ConsumerGroupTopics {
  /** The consumer group: an `EventConsumer.name`. */
  group: string;
  /** The services whose topics it reads. */
  sources: readonly string[];
}

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  /** Messages on the partition after the group's committed offset. */
  lag: number;
}

/** Pure: lag per partition from the topic's high watermarks and the group's committed offsets (-1 = none). */
export function lagOf(
  group: string,
  topic: string,
  watermarks: { partition: number; high: string; low: string }[],
  committed: { partition: number; offset: string }[],
): PartitionLag[] {
  const offsets = new Map(committed.map((c) => [c.partition, BigInt(c.offset)]));
  return watermarks.map(({ partition, high, low }) => {
    const offset = offsets.get(partition) ?? -1n;
    const from = offset < 0n ? BigInt(low) : offset;
    const lag = BigInt(high) - from;
    return { group, topic, partition, lag: Number(lag > 0n ? lag : 0n) };
  });
}

/** Consumer lag per (group, topic, partition), asked of the brokers through the admin client. */
export async function kafkaConsumerLag(
  admin: Admin,
  groups: readonly ConsumerGroupTopics[],
): Promise<PartitionLag[]> {
  const result: PartitionLag[] = [];
  const watermarks = new Map<string, { partition: number; high: string; low: string }[]>();
  for (const { group, sources } of groups) {
    const topics = sources.map((s) => topicFor(s));
    const committed = await admin.fetchOffsets({ groupId: group, topics });
    for (const topic of topics) {
      if (!watermarks.has(topic)) watermarks.set(topic, await admin.fetchTopicOffsets(topic));
      result.push(
        ...lagOf(
          group,
          topic,
          watermarks.get(topic)!,
          committed.find((c) => c.topic === topic)?.partitions ?? [],
        ),
      );
    }
  }
  return result;
}

/**
 * Registers `dap_kafka_consumer_lag{group,topic,partition}` on the platform's /metrics registry. The
 * gauge asks the brokers on each scrape (through one admin client kept connected); a scrape during a
 * broker outage reports nothing rather than failing the whole /metrics answer. Returns a function
 * that disconnects the admin client.
 */
export function registerKafkaLagMetrics(
  registry: Registry,
  kafka: Kafka,
  groups: () => readonly ConsumerGroupTopics[],
): () => Promise<void> {
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  new Gauge({
    name: 'dap_kafka_consumer_lag',
    help: 'Messages not yet consumed, per consumer group, topic and partition',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        connected ??= admin.connect();
        await connected;
        for (const { group, topic, partition, lag } of await kafkaConsumerLag(admin, groups())) {
          this.set({ group, topic, partition: String(partition) }, lag);
        }
      } catch {
        connected = undefined;
      }
    },
  });
  return async () => {
    if (connected) await admin.disconnect();
  };
}
