import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type EventData,
  type JSONType,
  type ReadPosition,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import type { EventEnvelope } from '@dap/contracts';
import { appendSignalFor } from '../append-signal.js';
import { ConcurrencyError } from '../errors.js';
import type {
  AppendMetadata,
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadStreamOptions,
  StreamAppend,
} from '../event-store.js';
import { upcast, type Upcasters } from '../upcasting.js';
import {
  kurrentStreamName,
  streamIdOf,
  streamPrefix,
  toEnvelope,
  toGlobalPosition,
  toKurrentMetadata,
  toStreamState,
  toStreamVersion,
  type RecordedLike,
} from './kurrentdb-mapping.js';

/** Client errors are matched on their `type` tag (robust to several copies of the client package). */
const errorType = (error: unknown): string | undefined => (error as { type?: string })?.type;
/** Errors after which reading from START again would not help (see `readAll`). */
const TRANSIENT = new Set([
  'unavailable',
  'deadline-exceeded',
  'timeout',
  'access-denied',
  'cancelled',
  'not-leader',
]);

/**
 * The `kurrentdb` event store (KurrentDB / EventStoreDB 22.6+ through `@kurrent/kurrentdb-client`).
 *
 * - One server holds every service's store: the stream `offer-1` of store `offer` is the KurrentDB
 *   stream `offer:offer-1`, and the store's global log is `$all` filtered by the prefix `offer:`.
 * - Expected versions map to `streamState` (0 → `NO_STREAM`, n → revision n - 1, `any` → `ANY`);
 *   `WrongExpectedVersionError` becomes `ConcurrencyError`.
 * - `globalPosition` is the `$all` commit position (bytes into the transaction log) as a Number:
 *   sparse and increasing, exact below 2^53. It assumes one event per commit position, which holds
 *   for every append outside explicit (legacy) transactions.
 * - `appendToStreams` uses the server's atomic multi-stream append (KurrentDB 25.1+). On older servers
 *   it checks every expected version first and then appends stream by stream: that is NOT atomic
 *   (a crash or a concurrent writer between two streams can leave the first ones appended).
 * - Appended events are read back once to learn their positions (the append answer carries only the
 *   last one), so an append costs a write and a short read.
 * - `onAppended` signals appends made through this process only (other processes are seen by polling).
 */
export class KurrentDbEventStore implements EventStore {
  private readonly signal;
  private multiStreamAppend: boolean | undefined;

  constructor(
    private readonly client: KurrentDBClient,
    readonly name: string,
    private readonly upcasters: Upcasters = {},
  ) {
    this.signal = appendSignalFor(`kurrentdb:${name}`);
  }

  /** A store on its own client, from a `kurrentdb://` (or `esdb://`) connection string. */
  static connect(connectionString: string, name: string, upcasters: Upcasters = {}): KurrentDbEventStore {
    return new KurrentDbEventStore(KurrentDBClient.connectionString(connectionString), name, upcasters);
  }

  /**
   * Stores of several services over one shared client (one connection pool per process): the
   * platform's store factory when `EVENT_STORE=kurrentdb`. `close` disposes of the client.
   */
  static shared(connectionString: string): {
    open: (name: string, upcasters?: Upcasters) => KurrentDbEventStore;
    close: () => Promise<void>;
  } {
    const client = KurrentDBClient.connectionString(connectionString);
    return {
      open: (name, upcasters) => new KurrentDbEventStore(client, name, upcasters),
      close: () => client.dispose(),
    };
  }

  /** Closes the client's connections (for stores made with `connect`; shared stores close together). */
  async close(): Promise<void> {
    await this.client.dispose();
  }

  async readStream(
    streamId: string,
    { direction = 'forward', fromVersion, maxCount }: ReadStreamOptions = {},
  ): Promise<EventEnvelope[]> {
    if (maxCount === 0) return [];
    const forward = direction === 'forward';
    if (!forward && fromVersion !== undefined && fromVersion < 1) return [];
    const fromRevision =
      fromVersion === undefined ? (forward ? START : END) : BigInt(Math.max(fromVersion, 1) - 1);
    const events = await this.readRevisions(streamId, {
      direction: forward ? FORWARDS : BACKWARDS,
      fromRevision,
      maxCount,
    });
    return events.map((e) => this.upcasted(e));
  }

  /** KurrentDB reads one stream per call: at most 32 in flight. */
  async readStreams(streamIds: string[]): Promise<Map<string, EventEnvelope[]>> {
    const streams = new Map<string, EventEnvelope[]>();
    for (let i = 0; i < streamIds.length; i += 32)
      for (const [id, events] of await Promise.all(
        streamIds.slice(i, i + 32).map(async (id) => [id, await this.readStream(id)] as const),
      ))
        streams.set(id, events);
    return streams;
  }

  async appendToStream(
    streamId: string,
    events: NewEvent[],
    expectedVersion: ExpectedVersion,
    metadata: AppendMetadata,
  ): Promise<AppendResult> {
    const time = metadata.time ?? new Date();
    if (events.length === 0) return this.emptyAppend(streamId, expectedVersion);
    let last: bigint;
    try {
      const result = await this.client.appendToStream(
        kurrentStreamName(this.name, streamId),
        this.toEventData(events, metadata, time),
        {
          streamState: toStreamState(expectedVersion),
        },
      );
      last = result.nextExpectedRevision;
    } catch (error) {
      throw this.mapError(error, streamId, expectedVersion);
    }
    const appended = await this.readBack(streamId, last, events.length);
    return this.resultOf(appended, Number(last) + 1);
  }

  async appendToStreams(appends: StreamAppend[], metadata: AppendMetadata): Promise<AppendResult> {
    const nonEmpty = appends.filter((a) => a.events.length > 0);
    const distinct = new Set(nonEmpty.map((a) => a.streamId)).size === nonEmpty.length;
    if (nonEmpty.length <= 1 && appends.length <= 1) {
      const [only] = appends;
      return only
        ? this.appendToStream(only.streamId, only.events, only.expectedVersion, metadata)
        : { streamVersion: 0, globalPosition: 0, events: [] };
    }
    if (distinct && this.multiStreamAppend !== false) {
      try {
        return await this.appendAtomically(nonEmpty, appends, metadata);
      } catch (error) {
        if (errorType(error) !== 'unsupported') throw error;
        this.multiStreamAppend = false;
      }
    }
    return this.appendSequentially(appends, metadata);
  }

  async readAll(after: number, maxCount: number): Promise<EventEnvelope[]> {
    if (maxCount <= 0) return [];
    try {
      return await this.readAllFrom(
        after > 0 ? { commit: BigInt(after), prepare: BigInt(after) } : START,
        after,
        maxCount,
      );
    } catch (error) {
      // Positions we hand out are exact record positions; any other number (say p - 1) may be refused
      // by the server as an invalid position. Then scan from the start, skipping what lies at or before it.
      if (after <= 0 || TRANSIENT.has(errorType(error) ?? '')) throw error;
      return this.readAllFrom(START, after, maxCount);
    }
  }

  async headPosition(): Promise<number> {
    const read = this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter: this.filter(),
    });
    for await (const resolved of read) {
      const position = resolved.event?.position;
      if (position) return toGlobalPosition(position.commit);
    }
    return 0;
  }

  onAppended(listener: (position: number) => void): () => void {
    return this.signal.on(listener);
  }

  private async appendAtomically(
    nonEmpty: StreamAppend[],
    appends: StreamAppend[],
    metadata: AppendMetadata,
  ): Promise<AppendResult> {
    // The server checks every expected state before it writes anything, including empty appends'.
    const checksOnly = appends.filter((a) => a.events.length === 0);
    await this.checkVersions(checksOnly);
    const time = metadata.time ?? new Date();
    let result;
    try {
      result = await this.client.multiStreamAppend(
        nonEmpty.map((a) => ({
          streamName: kurrentStreamName(this.name, a.streamId),
          events: this.toEventData(a.events, metadata, time),
          expectedState: toStreamState(a.expectedVersion),
        })),
      );
    } catch (error) {
      const failed =
        streamIdOf(this.name, (error as { streamName?: string }).streamName ?? '') ?? nonEmpty[0].streamId;
      throw this.mapError(
        error,
        failed,
        nonEmpty.find((a) => a.streamId === failed)?.expectedVersion ?? 'any',
      );
    }
    const events: EventEnvelope[] = [];
    let streamVersion = 0;
    for (const a of nonEmpty) {
      const response = result.responses.find(
        (r) => r.streamName === kurrentStreamName(this.name, a.streamId),
      );
      if (!response) throw new Error(`multi-stream append answered without stream ${a.streamId}`);
      events.push(...(await this.readBack(a.streamId, response.revision, a.events.length)));
      streamVersion = Number(response.revision) + 1;
    }
    return this.resultOf(events, streamVersion);
  }

  /** Fallback for servers without multi-stream append: check every version, then append in order. Not atomic. */
  private async appendSequentially(appends: StreamAppend[], metadata: AppendMetadata): Promise<AppendResult> {
    await this.checkVersions(appends);
    const events: EventEnvelope[] = [];
    let streamVersion = 0;
    for (const a of appends) {
      const result = await this.appendToStream(a.streamId, a.events, a.expectedVersion, metadata);
      events.push(...result.events);
      streamVersion = result.streamVersion;
    }
    return this.resultOf(events, streamVersion);
  }

  private async checkVersions(appends: StreamAppend[]): Promise<void> {
    for (const a of appends) {
      if (a.expectedVersion === 'any') continue;
      const actual = await this.currentVersion(a.streamId);
      if (actual !== a.expectedVersion) throw new ConcurrencyError(a.streamId, a.expectedVersion, actual);
    }
  }

  private async emptyAppend(streamId: string, expectedVersion: ExpectedVersion): Promise<AppendResult> {
    await this.checkVersions([{ streamId, events: [], expectedVersion }]);
    return { streamVersion: await this.currentVersion(streamId), globalPosition: 0, events: [] };
  }

  private async currentVersion(streamId: string): Promise<number> {
    const [last] = await this.readRevisions(streamId, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    return last?.streamVersion ?? 0;
  }

  private async readBack(streamId: string, lastRevision: bigint, count: number): Promise<EventEnvelope[]> {
    return this.readRevisions(streamId, {
      direction: FORWARDS,
      fromRevision: lastRevision - BigInt(count - 1),
      maxCount: count,
    });
  }

  /** Reads one stream without upcasting; an absent stream reads as empty. */
  private async readRevisions(
    streamId: string,
    options: {
      direction: typeof FORWARDS | typeof BACKWARDS;
      fromRevision: typeof START | typeof END | bigint;
      maxCount?: number;
    },
  ): Promise<EventEnvelope[]> {
    const events: EventEnvelope[] = [];
    try {
      for await (const resolved of this.client.readStream(
        kurrentStreamName(this.name, streamId),
        options,
      ) as AsyncIterable<ResolvedEvent>) {
        if (resolved.event) events.push(toEnvelope(this.name, resolved.event as RecordedLike));
      }
    } catch (error) {
      if (errorType(error) === 'stream-not-found') return [];
      throw error;
    }
    return events;
  }

  private async readAllFrom(
    fromPosition: ReadPosition,
    after: number,
    maxCount: number,
  ): Promise<EventEnvelope[]> {
    const events: EventEnvelope[] = [];
    const read = this.client.readAll({
      direction: FORWARDS,
      fromPosition,
      // A read from an exact position includes the event there: ask for one more.
      ...(fromPosition !== START && { maxCount: maxCount + 1 }),
      resolveLinkTos: false,
      filter: this.filter(),
    });
    for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
      const recorded = resolved.event;
      if (!recorded?.position || recorded.position.commit <= BigInt(after)) continue;
      if (streamIdOf(this.name, recorded.streamId) === undefined) continue;
      events.push(this.upcasted(toEnvelope(this.name, recorded as RecordedLike)));
      if (events.length >= maxCount) break;
    }
    return events;
  }

  private filter() {
    return streamNameFilter({ prefixes: [streamPrefix(this.name)] });
  }

  private toEventData(events: NewEvent[], metadata: AppendMetadata, time: Date): EventData[] {
    return events.map((e) =>
      jsonEvent({
        id: e.id ?? randomUUID(),
        type: e.type,
        data: e.data as JSONType,
        metadata: toKurrentMetadata(metadata, e.schemaVersion ?? 1, time),
      }),
    );
  }

  private resultOf(events: EventEnvelope[], streamVersion: number): AppendResult {
    const globalPosition = events.length ? events[events.length - 1].globalPosition : 0;
    if (events.length) this.signal.emit(globalPosition);
    return { streamVersion, globalPosition, events };
  }

  private mapError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
    if (errorType(error) !== 'wrong-expected-version') return error;
    const actual = toStreamVersion((error as { actualState?: 'no_stream' | bigint }).actualState);
    return new ConcurrencyError(streamId, expected === 'any' ? -1 : expected, actual);
  }

  private upcasted(e: EventEnvelope): EventEnvelope {
    return { ...e, ...upcast(this.upcasters, e.type, e.schemaVersion, e.data) };
  }
}
