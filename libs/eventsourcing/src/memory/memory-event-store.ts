import type { EventEnvelope } from '@dap/contracts';
import { AppendSignal } from '../append-signal.js';
import { checkExpectedVersion, envelopeOf } from '../envelope-builder.js';
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
import { sliceStream } from '../stream-slice.js';

/** In-memory store for unit tests and fast contract tests. Not durable. */
export class MemoryEventStore implements EventStore {
  private readonly log: EventEnvelope[] = [];
  private readonly streams = new Map<string, EventEnvelope[]>();
  private readonly signal = new AppendSignal();

  constructor(
    readonly name: string,
    private readonly upcasters: Upcasters = {},
  ) {}

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    return sliceStream(this.streams.get(streamId) ?? [], options).map((e) => this.upcasted(e));
  }

  async readStreams(streamIds: string[]): Promise<Map<string, EventEnvelope[]>> {
    return new Map(await Promise.all(streamIds.map(async (id) => [id, await this.readStream(id)] as const)));
  }

  appendToStream(
    streamId: string,
    events: NewEvent[],
    expectedVersion: ExpectedVersion,
    metadata: AppendMetadata,
  ) {
    return this.appendToStreams([{ streamId, events, expectedVersion }], metadata);
  }

  async appendToStreams(appends: StreamAppend[], metadata: AppendMetadata): Promise<AppendResult> {
    for (const a of appends)
      checkExpectedVersion(a.streamId, a.expectedVersion, this.streams.get(a.streamId)?.length ?? 0);
    const appended: EventEnvelope[] = [];
    let streamVersion = 0;
    for (const a of appends) {
      const stream = this.streams.get(a.streamId) ?? [];
      this.streams.set(a.streamId, stream);
      for (const event of a.events) {
        const envelope = envelopeOf(
          this.name,
          a.streamId,
          stream.length + 1,
          event,
          metadata,
          this.log.length + 1,
        );
        stream.push(envelope);
        this.log.push(envelope);
        appended.push(envelope);
      }
      streamVersion = stream.length;
    }
    const globalPosition = this.log.length;
    this.signal.emit(globalPosition);
    return { streamVersion, globalPosition, events: appended };
  }

  async readAll(after: number, maxCount: number): Promise<EventEnvelope[]> {
    return this.log.slice(after, after + maxCount).map((e) => this.upcasted(e));
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  onAppended(listener: (position: number) => void): () => void {
    return this.signal.on(listener);
  }

  private upcasted(e: EventEnvelope): EventEnvelope {
    return { ...e, ...upcast(this.upcasters, e.type, e.schemaVersion, e.data) };
  }
}
