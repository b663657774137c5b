import { describe, expect, it } from '@jest/globals';
import {
  kurrentStreamName,
  streamIdOf,
  toEnvelope,
  toGlobalPosition,
  toKurrentMetadata,
  toStreamState,
  toStreamVersion,
} from './kurrentdb-mapping.js';

describe('KurrentDB mapping', () => {
  it('names streams by store prefix and reads the id back only for its own store', () => {
    expect(kurrentStreamName('offer', 'offer-1')).toBe('offer:offer-1');
    expect(streamIdOf('offer', 'offer:offer-1')).toBe('offer-1');
    expect(streamIdOf('offer', 'consent:delegation-1')).toBeUndefined();
    expect(streamIdOf('health', 'health-x:1')).toBeUndefined();
  });

  it('maps expected versions to stream states and current states to versions', () => {
    expect(toStreamState('any')).toBe('any');
    expect(toStreamState(0)).toBe('no_stream');
    expect(toStreamState(3)).toBe(2n);
    expect(toStreamVersion('no_stream')).toBe(0);
    expect(toStreamVersion(undefined)).toBe(0);
    expect(toStreamVersion(-1n)).toBe(0);
    expect(toStreamVersion(4n)).toBe(5);
  });

  it('uses the commit position as the global position and refuses what a Number cannot hold', () => {
    expect(toGlobalPosition(1234n)).toBe(1234);
    expect(() => toGlobalPosition(2n ** 53n)).toThrow(RangeError);
  });

  it('round-trips an envelope through string-only metadata', () => {
    const time = new Date('2026-01-02T03:04:05.678Z');
    const actor = { id: 'u-1', tenantId: 'p-1', roles: ['partner.admin'] };
    const metadata = toKurrentMetadata(
      { actor, partnerId: 'p-1', correlationId: 'c-1', causationId: 'e-0', time },
      2,
      time,
    );
    expect(Object.values(metadata).every((v) => typeof v === 'string')).toBe(true);
    expect(metadata.$correlationId).toBe('c-1');
    const envelope = toEnvelope('offer', {
      streamId: 'offer:offer-1',
      id: '0b9f3c1e-0000-4000-8000-000000000001',
      revision: 0n,
      type: 'OfferCreated',
      created: new Date('2030-01-01T00:00:00Z'),
      data: { offerId: 'offer-1' },
      metadata,
      position: { commit: 512n, prepare: 512n },
    });
    expect(envelope).toEqual({
      id: '0b9f3c1e-0000-4000-8000-000000000001',
      type: 'OfferCreated',
      schemaVersion: 2,
      source: 'offer',
      subject: 'offer-1',
      partnerId: 'p-1',
      time: time.toISOString(),
      actor,
      correlationId: 'c-1',
      causationId: 'e-0',
      streamVersion: 1,
      globalPosition: 512,
      data: { offerId: 'offer-1' },
    });
  });

  it('falls back to the server time and a system actor when metadata is missing', () => {
    const created = new Date('2030-01-01T00:00:00Z');
    const envelope = toEnvelope('offer', {
      streamId: 'offer:o',
      id: 'x',
      revision: 4n,
      type: 'T',
      created,
      data: {},
      metadata: undefined,
      position: { commit: 9n, prepare: 9n },
    });
    expect(envelope).toMatchObject({
      time: created.toISOString(),
      actor: { id: 'system:unknown' },
      streamVersion: 5,
      schemaVersion: 1,
    });
    expect(envelope.partnerId).toBeUndefined();
  });
});
