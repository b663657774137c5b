import type { EventEnvelope } from '@dap/contracts';
import type { SqlExecutor } from '@dap/eventsourcing';

/**
 * A projection or process manager. It reacts to the events of one or more source stores (services)
 * and changes only its own service's tables, through the transaction it is given, which also
 * records that the event was handled. Handling the same event twice must leave the same state.
 */
export interface EventConsumer {
  /** Unique in the system, e.g. `offer.offer-list`; checkpoints and consumer groups use it. */
  readonly name: string;
  /** The stores it follows, by service name (`offer`, `consent`...). */
  readonly sources: readonly string[];
  /** Only these event types are handed to `handle` (all when absent); others just advance the checkpoint. */
  readonly types?: readonly string[];
  /**
   * Its transactions run one after another, whatever source they apply (an advisory lock on its name,
   * taken with BEGIN and held to commit): for a consumer whose rows are recomputed from tables that
   * other sources fill, where two sources at once would each miss the other's uncommitted rows.
   */
  readonly oneAtATime?: boolean;
  handle(event: EventEnvelope, tx: SqlExecutor): Promise<void>;
  /**
   * Optional: applies several events of one source at once, in their order, with the same effect as
   * `handle` on each in turn (set-wise SQL, one lock per batch). Used for ordered sources.
   */
  handleBatch?(events: EventEnvelope[], tx: SqlExecutor): Promise<void>;
}

/** Whether the consumer takes this event (its `types`, or every event when it names none). */
export const wants = (consumer: EventConsumer, event: EventEnvelope): boolean =>
  !consumer.types || consumer.types.includes(event.type);

/** Where events for consumers come from: the store logs in process, or Kafka topics. */
export interface EventSource {
  /** Starts delivering to the consumer from its stored checkpoints; resolves once it runs. */
  start(consumer: EventConsumer): Promise<void>;
  /** Stops fetching, lets in-flight work finish and commit. */
  stop(): Promise<void>;
}
