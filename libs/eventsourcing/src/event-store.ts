import type { Actor, EventEnvelope } from '@dap/contracts';

/** An event to append; the store fills in the rest of the envelope. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
  /** Payload schema version; defaults to 1. */
  schemaVersion?: number;
  /** Defaults to a random UUID. */
  id?: string;
}

export interface AppendMetadata {
  actor: Actor;
  partnerId?: string;
  correlationId?: string;
  causationId?: string;
  /** The event time; defaults to now. Tests pass their clock. */
  time?: Date;
}

/** A number is the exact version the stream must be at (0: the stream must not exist yet). */
export type ExpectedVersion = number | 'any';

export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expectedVersion: ExpectedVersion;
}

export interface AppendResult {
  /** Version of the (last) stream after the append. */
  streamVersion: number;
  /** Global position of the last appended event. */
  globalPosition: number;
  events: EventEnvelope[];
}

export interface ReadStreamOptions {
  direction?: 'forward' | 'backward';
  /** forward: first version to return; backward: last version to return. */
  fromVersion?: number;
  maxCount?: number;
}

/**
 * The event store port. One store per service (its `name` is the service name and the first half
 * of every X-Event-Position token). Global positions are strictly increasing in commit order, so a
 * reader that has seen position p never later finds an event below p.
 */
export interface EventStore {
  readonly name: string;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<EventEnvelope[]>;
  /** Several whole streams at once (one round trip where the adapter can); a stream with no events maps to []. */
  readStreams(streamIds: string[]): Promise<Map<string, EventEnvelope[]>>;
  appendToStream(
    streamId: string,
    events: NewEvent[],
    expectedVersion: ExpectedVersion,
    metadata: AppendMetadata,
  ): Promise<AppendResult>;
  /** Appends to several streams atomically (all or none), in the order given. */
  appendToStreams(appends: StreamAppend[], metadata: AppendMetadata): Promise<AppendResult>;
  /** Events of the whole store strictly after `after`, in global order. */
  readAll(after: number, maxCount: number): Promise<EventEnvelope[]>;
  /** Global position of the last committed event (0 when empty). */
  headPosition(): Promise<number>;
  /** Calls `listener` after each local append commits; returns an unsubscribe function. */
  onAppended(listener: (position: number) => void): () => void;
}
