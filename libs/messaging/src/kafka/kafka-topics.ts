import { deadLetterTopicFor, topicFor } from '@dap/contracts';
import type { Kafka } from 'kafkajs';

export interface TopicLayout {
  partitions: number;
  replicationFactor: number;
}

/**
 * Creates each service's topic and its dead-letter topic when they do not exist (existing topics are
 * left as they are: adding partitions would move keys between partitions and break per-key order).
 * Every process calls it at start; concurrent creation by several processes is harmless.
 */
export async function ensureTopics(
  kafka: Kafka,
  services: readonly string[],
  layout: TopicLayout,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = services
      .flatMap((s) => [topicFor(s), deadLetterTopicFor(s)])
      .filter((t) => !existing.has(t));
    if (wanted.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((topic) => ({
        topic,
        numPartitions: layout.partitions,
        replicationFactor: layout.replicationFactor,
        configEntries: [
          // The store is the source of truth; topics keep events for replay by new consumers.
          { name: 'retention.ms', value: '-1' },
          { name: 'min.insync.replicas', value: String(Math.min(2, layout.replicationFactor)) },
        ],
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
