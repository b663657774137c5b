import type { EventEnvelope } from '@dap/contracts';
import { envelopeOf } from '../envelope-builder.js';
import type { AppendMetadata, ExpectedVersion } from '../event-store.js';

/**
 * Pure translation between the EventStore port and KurrentDB's model, kept apart from the client so
 * it can be unit-tested without a server.
 *
 * - Stream names: one KurrentDB server holds every service's store, so stream `offer-1` of store
 *   `offer` is the KurrentDB stream `offer:offer-1`, and a store's global log is `$all` filtered by
 *   the prefix `offer:`.
 * - Versions: our stream versions start at 1; KurrentDB revisions start at 0 (revision = version - 1).
 * - Global positions: a `$all` position is a (commit, prepare) pair of bigints; the port's
 *   `globalPosition` is the commit position as a Number. It is exact below 2^53 bytes of
 *   transaction log (8 PiB); beyond that `toGlobalPosition` refuses rather than round.
 */

/** The expected-state values of the client (`ANY`, `NO_STREAM` or a revision). */
export type KurrentStreamState = 'any' | 'no_stream' | bigint;

export const streamPrefix = (store: string): string => `${store}:`;
export const kurrentStreamName = (store: string, streamId: string): string =>
  `${streamPrefix(store)}${streamId}`;

/** Our stream id from a KurrentDB stream name of this store, or undefined when it belongs to another. */
export function streamIdOf(store: string, streamName: string): string | undefined {
  const prefix = streamPrefix(store);
  return streamName.startsWith(prefix) ? streamName.slice(prefix.length) : undefined;
}

/** expected version 0 = the stream must not exist; n = its last revision is n - 1. */
export function toStreamState(expected: ExpectedVersion): KurrentStreamState {
  if (expected === 'any') return 'any';
  if (expected === 0) return 'no_stream';
  return BigInt(expected - 1);
}

/** The stream version a KurrentDB current state stands for (no stream = 0). */
export function toStreamVersion(state: 'no_stream' | bigint | undefined): number {
  return typeof state === 'bigint' && state >= 0n ? Number(state) + 1 : 0;
}

export function toGlobalPosition(commit: bigint): number {
  if (commit > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`$all commit position ${commit} exceeds 2^53`);
  return Number(commit);
}

/**
 * Event metadata as KurrentDB stores it. Every value is a string because multi-stream appends
 * accept only string properties; `$correlationId`/`$causationId` are KurrentDB's own names, which its
 * projections understand.
 */
export type KurrentMetadata = Record<string, string>;

export function toKurrentMetadata(
  metadata: AppendMetadata,
  schemaVersion: number,
  time: Date,
): KurrentMetadata {
  return {
    actor: JSON.stringify(metadata.actor),
    schemaVersion: String(schemaVersion),
    time: time.toISOString(),
    ...(metadata.partnerId !== undefined && { partnerId: metadata.partnerId }),
    ...(metadata.correlationId !== undefined && {
      correlationId: metadata.correlationId,
      $correlationId: metadata.correlationId,
    }),
    ...(metadata.causationId !== undefined && {
      causationId: metadata.causationId,
      $causationId: metadata.causationId,
    }),
  };
}

/** The parts of a recorded KurrentDB event the envelope needs (a structural subset of the client's type). */
export interface RecordedLike {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  created: Date;
  data: unknown;
  metadata: unknown;
  position?: { commit: bigint; prepare: bigint };
}

export function toEnvelope(store: string, recorded: RecordedLike): EventEnvelope {
  const meta = (
    recorded.metadata && typeof recorded.metadata === 'object' && !(recorded.metadata instanceof Uint8Array)
      ? recorded.metadata
      : {}
  ) as Record<string, unknown>;
  const actor =
    typeof meta.actor === 'string' ? JSON.parse(meta.actor) : (meta.actor ?? { id: 'system:unknown' });
  const text = (key: string) => (typeof meta[key] === 'string' ? (meta[key] as string) : undefined);
  if (!recorded.position)
    throw new Error(
      `KurrentDB returned ${recorded.streamId}@${recorded.revision} without a position (server < 22.6?)`,
    );
  return envelopeOf(
    store,
    streamIdOf(store, recorded.streamId) ?? recorded.streamId,
    Number(recorded.revision) + 1,
    {
      id: recorded.id,
      type: recorded.type,
      schemaVersion: Number(text('schemaVersion') ?? 1),
      data: recorded.data,
    },
    {
      actor,
      partnerId: text('partnerId'),
      correlationId: text('correlationId'),
      causationId: text('causationId'),
      time: new Date(text('time') ?? recorded.created),
    },
    toGlobalPosition(recorded.position.commit),
  );
}
