import { deadLetterTopicFor, topicFor, validateEventData, type EventEnvelope } from '@dap/contracts';
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import type { ConsumerProgress } from '../consumer-progress.js';
import type { EventConsumer, EventSource } from '../event-consumer.js';
import type { IdempotentConsumer } from '../idempotent-consumer.js';
import { MalformedMessageError, fromKafkaMessage, type Headers } from './cloudevents-mapping.js';

export interface KafkaEventSourceOptions {
  /** Attempts at one event before it goes to the dead-letter topic. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, capped at 5 s. */
  retryDelayMs?: number;
  /** Partitions handled at once per consumer (order is kept within each partition). */
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  /** Payload check; a wanted event that fails it is malformed. Defaults to the contracts' JSON Schemas. */
  validate?: (type: string, schemaVersion: number, data: unknown) => { ok: boolean; errors: string[] };
  onError?: (consumer: string, error: unknown) => void;
  /** Called after each message is settled (handled, duplicate or dead-lettered) and its offset committed. */
  onSettled?: (consumer: string, outcome: MessageOutcome) => void;
}

export type MessageOutcome = {
  topic: string;
  partition: number;
  offset: string;
  result: 'handled' | 'duplicate' | 'dead-lettered';
};

/** Dead-letter headers added to the original message's headers. */
export const DLQ = {
  error: 'dlq_error',
  reason: 'dlq_reason',
  consumer: 'dlq_consumer',
  attempts: 'dlq_attempts',
  topic: 'dlq_original_topic',
  partition: 'dlq_original_partition',
  offset: 'dlq_original_offset',
  failedAt: 'dlq_failed_at',
} as const;

/**
 * Kafka delivery for one service's consumers: a consumer group per `EventConsumer.name`, subscribed to
 * `<source>.events.v1` for each of its sources. Each message becomes an envelope again and is applied
 * once by event id (`IdempotentConsumer.applyUnordered`: the read-table change and the inbox row commit
 * together); only then is its offset committed (auto-commit is off). A redelivery after a crash or a
 * rebalance therefore changes nothing. An event that keeps failing after bounded retries, and a
 * message that cannot be read or fails its schema, goes to `<topic>.dlq` with the error in headers,
 * its offset is committed, and the consumer carries on.
 */
export class KafkaEventSource implements EventSource {
  private readonly consumers: Consumer[] = [];
  private readonly producer: Producer;
  private producerReady?: Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    private readonly inbox: IdempotentConsumer,
    private readonly progress: ConsumerProgress,
    private readonly options: KafkaEventSourceOptions = {},
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
  }

  async start(consumer: EventConsumer): Promise<void> {
    this.progress.register(consumer.name, consumer.sources);
    for (const source of consumer.sources)
      this.progress.report(consumer.name, source, await this.inbox.checkpoint(consumer.name, source));
    this.producerReady ??= this.producer.connect();
    await this.producerReady;
    const kafkaConsumer = this.kafka.consumer({
      groupId: consumer.name,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      allowAutoTopicCreation: false,
    });
    this.consumers.push(kafkaConsumer);
    kafkaConsumer.on(kafkaConsumer.events.CRASH, ({ payload }) =>
      this.options.onError?.(consumer.name, payload.error),
    );
    await kafkaConsumer.connect();
    await kafkaConsumer.subscribe({ topics: consumer.sources.map((s) => topicFor(s)), fromBeginning: true });
    const sourceOf = new Map(consumer.sources.map((s) => [topicFor(s), s]));
    await kafkaConsumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachMessage: async (payload) => {
        const result = await this.settle(consumer, sourceOf.get(payload.topic) ?? payload.topic, payload);
        const { topic, partition, message } = payload;
        const next = (BigInt(message.offset) + 1n).toString();
        await kafkaConsumer.commitOffsets([{ topic, partition, offset: next }]);
        this.options.onSettled?.(consumer.name, { topic, partition, offset: message.offset, result });
      },
    });
  }

  /**
   * Graceful stop: each consumer stops fetching and lets the message in hand finish (it commits its
   * own offset), leaves its group (its partitions move to the others at once), then the producer
   * used for dead letters disconnects.
   */
  async stop(): Promise<void> {
    const consumers = this.consumers.splice(0);
    await Promise.all(
      consumers.map(async (c) => {
        await c.stop();
        await c.disconnect();
      }),
    );
    if (this.producerReady) {
      await this.producerReady.catch(() => undefined);
      this.producerReady = undefined;
      await this.producer.disconnect();
    }
  }

  private async settle(
    consumer: EventConsumer,
    source: string,
    payload: EachMessagePayload,
  ): Promise<MessageOutcome['result']> {
    let event: EventEnvelope;
    try {
      event = fromKafkaMessage(payload.message);
      const wanted = !consumer.types || consumer.types.includes(event.type);
      if (wanted) {
        const check = (this.options.validate ?? validateEventData)(
          event.type,
          event.schemaVersion,
          event.data,
        );
        if (!check.ok)
          throw new MalformedMessageError(
            `${event.type} v${event.schemaVersion} fails its schema: ${check.errors.join('; ')}`,
          );
      }
    } catch (error) {
      await this.deadLetter(consumer, source, payload, error, 0, 'malformed');
      return 'dead-lettered';
    }
    const { maxAttempts = 5, retryDelayMs = 100 } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        const fresh = await this.inbox.applyUnordered(consumer, source, event);
        this.progress.report(consumer.name, source, event.globalPosition);
        return fresh ? 'handled' : 'duplicate';
      } catch (error) {
        this.options.onError?.(consumer.name, error);
        if (attempt >= maxAttempts) {
          await this.deadLetter(consumer, source, payload, error, attempt, 'handler-failed');
          this.progress.report(consumer.name, source, event.globalPosition);
          return 'dead-lettered';
        }
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(5000, retryDelayMs * 2 ** (attempt - 1))),
        );
        await payload.heartbeat();
      }
    }
  }

  private async deadLetter(
    consumer: EventConsumer,
    source: string,
    payload: EachMessagePayload,
    error: unknown,
    attempts: number,
    reason: string,
  ) {
    const { topic, partition, message } = payload;
    const headers: Headers = {
      ...(message.headers ?? {}),
      [DLQ.error]: String((error as Error)?.message ?? error).slice(0, 4000),
      [DLQ.reason]: reason,
      [DLQ.consumer]: consumer.name,
      [DLQ.attempts]: String(attempts),
      [DLQ.topic]: topic,
      [DLQ.partition]: String(partition),
      [DLQ.offset]: message.offset,
      [DLQ.failedAt]: new Date().toISOString(),
    };
    await this.producer.send({
      topic: deadLetterTopicFor(source),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
  }
}
