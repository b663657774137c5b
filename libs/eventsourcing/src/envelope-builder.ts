import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@dap/contracts';
import type { AppendMetadata, ExpectedVersion, NewEvent } from './event-store.js';
import { ConcurrencyError } from './errors.js';

/** Fills the envelope of an event about to be appended (positions are the store's to give). */
export function envelopeOf(
  source: string,
  streamId: string,
  streamVersion: number,
  event: NewEvent,
  metadata: AppendMetadata,
  globalPosition: number,
): EventEnvelope {
  return {
    id: event.id ?? randomUUID(),
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    source,
    subject: streamId,
    ...(metadata.partnerId !== undefined && { partnerId: metadata.partnerId }),
    time: (metadata.time ?? new Date()).toISOString(),
    actor: metadata.actor,
    ...(metadata.correlationId !== undefined && { correlationId: metadata.correlationId }),
    ...(metadata.causationId !== undefined && { causationId: metadata.causationId }),
    streamVersion,
    globalPosition,
    data: event.data,
  };
}

export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  if (expected !== 'any' && expected !== actual) throw new ConcurrencyError(streamId, expected, actual);
}
