import { topicFor, type EventEnvelope } from '@dap/contracts';
import type { EventStore } from '@dap/eventsourcing';
import type { Kafka, Producer } from 'kafkajs';
import type { EventConsumer } from '../event-consumer.js';
import type { IdempotentConsumer } from '../idempotent-consumer.js';
import { toKafkaMessage } from './cloudevents-mapping.js';

export interface KafkaRelayOptions {
  /** Events per send (one broker round trip); keep batches well under the broker's message.max.bytes. */
  batchSize?: number;
  /** How often to look for appends made by other processes (this process's appends wake it at once). */
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/** Consumer name under which the relay keeps its checkpoint in the service's checkpoints table. */
export const relayNameFor = (service: string): string => `${service}.relay`;

/**
 * Publishes one service's store to `<service>.events.v1`: the store is the outbox. It reads the global
 * log after its checkpoint, sends a batch with an idempotent producer (acks = all, one request in
 * flight, so batches land whole and in order), and advances the checkpoint only once the broker has
 * acknowledged. A crash between the acknowledgement and the checkpoint resends that batch (consumers
 * deduplicate by event id); nothing acknowledged by the store is ever skipped: a failed send is
 * retried, with backoff, until it succeeds. Several replicas may run it: the checkpoint row lock
 * lets one publish at a time (see `publishPending`).
 */
export class KafkaRelay {
  private readonly producer: Producer;
  private readonly marker: EventConsumer;
  private loop?: Promise<void>;
  private stopped = false;
  private wake: () => void = () => undefined;
  private position = 0;

  constructor(
    kafka: Kafka,
    private readonly store: EventStore,
    private readonly checkpoints: IdempotentConsumer,
    private readonly options: KafkaRelayOptions = {},
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    // The checkpoint row is written through the idempotent-consumer helper, like any consumer's.
    this.marker = { name: relayNameFor(store.name), sources: [store.name], handle: async () => undefined };
  }

  get topic(): string {
    return topicFor(this.store.name);
  }

  /** Global position of the last event the broker acknowledged (and the checkpoint recorded). */
  get published(): number {
    return this.position;
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.position = await this.checkpoints.checkpoint(this.marker.name, this.store.name);
    this.loop = this.run();
  }

  /** Finishes the batch in flight (send and checkpoint), then disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    await this.producer.disconnect();
  }

  /**
   * Publishes the next batch after the checkpoint; returns how many events went out. The send happens
   * inside the checkpoint's transaction, which holds the checkpoint row lock: when several replicas of
   * a service run a relay, one publishes at a time and the others then skip what it published.
   */
  async publishPending(): Promise<number> {
    const { batchSize = 200 } = this.options;
    const batch = await this.store.readAll(this.position, batchSize);
    if (batch.length === 0) return 0;
    const last = batch[batch.length - 1];
    const fresh: EventEnvelope[] = [];
    const sender: EventConsumer = {
      ...this.marker,
      // Called for each event above the (locked) checkpoint, in order; the last one sends them all.
      handle: async (event) => {
        fresh.push(event);
        if (event.globalPosition === last.globalPosition) {
          await this.producer.send({ topic: this.topic, acks: -1, messages: fresh.map(toKafkaMessage) });
        }
      },
    };
    this.position = await this.checkpoints.applyOrdered(sender, this.store.name, batch);
    return fresh.length;
  }

  private async run(): Promise<void> {
    const { pollIntervalMs = 250 } = this.options;
    let pending = false;
    const unsubscribe = this.store.onAppended(() => {
      pending = true;
      this.wake();
    });
    let failures = 0;
    try {
      while (!this.stopped) {
        pending = false;
        try {
          if ((await this.publishPending()) > 0) {
            failures = 0;
            continue;
          }
        } catch (error) {
          this.options.onError?.(error);
          failures += 1;
          await this.sleep(Math.min(5000, 50 * 2 ** failures));
          continue;
        }
        if (!pending) await this.sleep(pollIntervalMs);
      }
    } finally {
      unsubscribe();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
