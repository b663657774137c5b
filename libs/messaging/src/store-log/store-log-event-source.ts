import type { EventEnvelope } from '@dap/contracts';
import type { ConsumerProgress } from '../consumer-progress.js';
import { wants, type EventConsumer, type EventSource } from '../event-consumer.js';
import type { IdempotentConsumer } from '../idempotent-consumer.js';
import type { StoreLog } from './shared-log-reader.js';

export interface StoreLogOptions {
  /** Events read and applied per transaction. */
  batchSize?: number;
  /** How often to look for appends made by other processes (same-process appends wake it at once). */
  pollIntervalMs?: number;
  /**
   * The least time from the start of a read that found events (with a shared reader, its newest store
   * read that found events; else this loop's) to the next read, when the loop was waiting for appends:
   * one woken sooner waits out the rest, so that appends arriving one at a time are applied a few at a
   * time (a transaction and a checkpoint per batch, not per event). The first append after a quiet
   * moment is read at once; a consumer behind reads its next batch at once; while a read waits for this
   * consumer (`ConsumerProgress.waitFor`, X-Min-Position) it does not wait. 0 (the default): no waiting.
   */
  gatherMs?: number;
  /** Attempts at one event before it is set aside as a dead letter. */
  maxAttempts?: number;
  onError?: (consumer: string, error: unknown) => void;
}

/**
 * A batch of events the consumer does not take needs no transaction: the loop moves past it in memory
 * and writes its checkpoint only once it is this many positions behind (or on stop). A crash before
 * then means reading those events again, and skipping them again.
 */
const UNSAVED_SKIP_SPAN = 1000;

/**
 * In-process delivery: each consumer reads the source stores' global logs from its checkpoint and
 * applies batches through the idempotent-consumer helper. Used in standalone mode and, reading the
 * other services' logs in the same PostgreSQL database, by separate processes without Kafka. Give
 * it a `SharedLogReader` per store so that the consumers of a process read each event once.
 */
export class StoreLogEventSource implements EventSource {
  private readonly loops: Promise<void>[] = [];
  private readonly stoppers: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly storeOf: (source: string) => StoreLog,
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
    const { batchSize = 500, pollIntervalMs = 250, gatherMs = 0, maxAttempts = 5 } = this.options;
    let position = from;
    /** When the last read that found events started. */
    let lastRead = -Infinity;
    let saved = from;
    let wake: () => void = () => undefined;
    let pending = false;
    const unsubscribe = store.onAppended(() => {
      pending = true;
      wake();
    });
    // The gathering pause ends early on stop, or when a read begins waiting for this consumer; not on an
    // append.
    let endPause: () => void = () => undefined;
    this.stoppers.push(() => {
      wake();
      endPause();
    });
    const unwanted = this.progress.onWanted((consumers, from) => {
      if (from === source && consumers.includes(consumer.name)) endPause();
    });
    let failures = 0;
    try {
      while (!this.stopped) {
        pending = false;
        const reading = performance.now();
        let batch: EventEnvelope[] | undefined;
        try {
          const asked = failures > 0 ? 1 : batchSize;
          batch = await store.readAll(position, asked);
          if (batch.length > 0) {
            lastRead = reading;
            const last = batch[batch.length - 1].globalPosition;
            if (!batch.some((e) => wants(consumer, e)) && last - saved < UNSAVED_SKIP_SPAN) position = last;
            else position = saved = await this.inbox.applyOrdered(consumer, source, batch, saved);
            this.progress.report(consumer.name, source, position);
            failures = 0;
            // A short batch was all there was: the next append (its signal, or the poll) wakes the loop.
            if (batch.length === asked) continue;
          }
        } catch (error) {
          this.options.onError?.(consumer.name, error);
          failures += 1;
          // Retry alone (batch of one), then set the one event aside and carry on.
          if (batch?.length === 1 && failures >= maxAttempts) {
            await this.inbox.deadLetter(consumer, source, batch[0], error).catch(() => undefined);
            position = saved = batch[0].globalPosition;
            this.progress.report(consumer.name, source, position);
            failures = 0;
          }
          await delay(Math.min(1000, 20 * 2 ** failures));
          continue;
        }
        if (!pending)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollIntervalMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        // Woken soon after a read that found events (the shared reader's newest, the same moment for every
        // loop on the store, so that they stay in step; else this loop's): let more gather first, unless a
        // read here waits for this consumer (one in another HTTP worker ends the pause).
        const until = (store.foundAt ?? lastRead) + gatherMs;
        if (until > performance.now() && !this.stopped && !this.progress.waitedFor(consumer.name, source))
          await Promise.race([moment(until), new Promise<void>((resolve) => (endPause = resolve))]);
      }
      if (position > saved)
        await this.inbox
          .advance(consumer.name, source, position)
          .catch((error) => this.options.onError?.(consumer.name, error));
    } finally {
      unsubscribe();
      unwanted();
    }
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const moments = new Map<number, Promise<void>>();

/**
 * Resolves at `performance.now() === until`, on one timer for every loop pausing until the same moment:
 * timers of their own, set at slightly different times, could fire a turn of the event loop apart, and
 * the loops would read, and apply, apart.
 */
function moment(until: number): Promise<void> {
  let at = moments.get(until);
  if (!at) {
    // Unref'd: a loop whose pause ends early (stop) leaves the timer behind, and it must not keep the
    // process alive.
    at = new Promise<void>((resolve) => setTimeout(resolve, until - performance.now()).unref()).finally(() =>
      moments.delete(until),
    );
    moments.set(until, at);
  }
  return at;
}
