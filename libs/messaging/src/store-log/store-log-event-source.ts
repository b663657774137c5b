import type { EventEnvelope } from '@dap/contracts';
import type { EventStore } from '@dap/eventsourcing';
import type { ConsumerProgress } from '../consumer-progress.js';
import type { EventConsumer, EventSource } from '../event-consumer.js';
import type { IdempotentConsumer } from '../idempotent-consumer.js';

export interface StoreLogOptions {
  /** Events read and applied per transaction. */
  batchSize?: number;
  /** How often to look for appends made by other processes (same-process appends wake it at once). */
  pollIntervalMs?: number;
  /** Attempts at one event before it is set aside as a dead letter. */
  maxAttempts?: number;
  onError?: (consumer: string, error: unknown) => void;
}

/**
 * In-process delivery: each consumer reads the source stores' global logs from its checkpoint and
 * applies batches through the idempotent-consumer helper. Used in standalone mode and, reading the
 * other services' logs in the same PostgreSQL database, by separate processes without Kafka.
 */
export class StoreLogEventSource implements EventSource {
  private readonly loops: Promise<void>[] = [];
  private readonly stoppers: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly storeOf: (source: string) => EventStore,
    private readonly inbox: IdempotentConsumer,
    private readonly progress: ConsumerProgress,
    private readonly options: StoreLogOptions = {},
  ) {}

  async start(consumer: EventConsumer): Promise<void> {
    this.progress.register(consumer.name, consumer.sources);
    for (const source of consumer.sources) {
      const position = await this.inbox.checkpoint(consumer.name, source);
      this.progress.report(consumer.name, source, position);
      this.loops.push(this.run(consumer, source, position));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stoppers.forEach((wake) => wake());
    await Promise.all(this.loops);
  }

  private async run(consumer: EventConsumer, source: string, from: number): Promise<void> {
    const store = this.storeOf(source);
    const { batchSize = 500, pollIntervalMs = 250, maxAttempts = 5 } = this.options;
    let position = from;
    let wake: () => void = () => undefined;
    let pending = false;
    const unsubscribe = store.onAppended(() => {
      pending = true;
      wake();
    });
    this.stoppers.push(() => wake());
    let failures = 0;
    try {
      while (!this.stopped) {
        pending = false;
        let batch: EventEnvelope[] | undefined;
        try {
          batch = await store.readAll(position, failures > 0 ? 1 : batchSize);
          if (batch.length > 0) {
            position = await this.inbox.applyOrdered(consumer, source, batch);
            this.progress.report(consumer.name, source, position);
            failures = 0;
            continue;
          }
        } catch (error) {
          this.options.onError?.(consumer.name, error);
          failures += 1;
          // Retry alone (batch of one), then set the one event aside and carry on.
          if (batch?.length === 1 && failures >= maxAttempts) {
            await this.inbox.deadLetter(consumer, source, batch[0], error).catch(() => undefined);
            position = batch[0].globalPosition;
            this.progress.report(consumer.name, source, position);
            failures = 0;
          }
          await delay(Math.min(1000, 20 * 2 ** failures));
          continue;
        }
        if (pending) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      unsubscribe();
    }
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
