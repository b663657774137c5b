import { describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@dap/contracts';
import {
  CE,
  MalformedMessageError,
  fromKafkaMessage,
  toKafkaMessage,
  type IncomingMessage,
} from './cloudevents-mapping.js';

const event: EventEnvelope = {
  id: '6f1c1b1e-8a2b-4f7e-9c55-0a8d7b9e2f10',
  type: 'OfferRevoked',
  schemaVersion: 1,
  source: 'offer',
  subject: 'offer-42',
  partnerId: 'partner-1',
  time: '2026-11-21T10:00:00.000Z',
  actor: { id: 'admin@partner-1', tenantId: 'partner-1', roles: ['partner.admin'] },
  correlationId: 'req-1',
  causationId: 'evt-0',
  streamVersion: 3,
  globalPosition: 1042,
  data: { offerId: 'offer-42', reason: 'superseded' },
};

/** What a Kafka client hands a consumer: bytes, not strings. */
const asReceived = (m: ReturnType<typeof toKafkaMessage>): IncomingMessage => ({
  key: Buffer.from(m.key),
  value: Buffer.from(m.value),
  headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Buffer.from(v)])),
});

describe('CloudEvents binary-mode mapping', () => {
  it('keys the message by subject and puts the payload alone in the JSON body', () => {
    const message = toKafkaMessage(event);
    expect(message.key).toBe('offer-42');
    expect(JSON.parse(message.value)).toEqual(event.data);
  });

  it('carries every attribute in the agreed ce_* headers', () => {
    expect(toKafkaMessage(event).headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: 'OfferRevoked',
      ce_source: 'offer',
      ce_subject: 'offer-42',
      ce_time: '2026-11-21T10:00:00.000Z',
      ce_schemaversion: '1',
      ce_partnerid: 'partner-1',
      ce_correlationid: 'req-1',
      ce_causationid: 'evt-0',
      ce_streamversion: '3',
      ce_globalposition: '1042',
      ce_actor: JSON.stringify(event.actor),
      'content-type': 'application/json',
    });
  });

  it('round-trips an envelope, with and without the optional attributes', () => {
    expect(fromKafkaMessage(asReceived(toKafkaMessage(event)))).toEqual(event);
    const bare: EventEnvelope = { ...event, actor: { id: 'system:expiry' } };
    delete bare.partnerId;
    delete bare.correlationId;
    delete bare.causationId;
    const message = toKafkaMessage(bare);
    expect(Object.keys(message.headers)).not.toContain(CE.partnerid);
    expect(fromKafkaMessage(asReceived(message))).toEqual(bare);
  });

  it('accepts string headers and a missing key', () => {
    const message = toKafkaMessage(event);
    expect(fromKafkaMessage({ key: null, value: message.value, headers: message.headers })).toEqual(event);
  });

  it.each([
    ['a missing id', (m: IncomingMessage) => delete m.headers![CE.id]],
    ['another spec version', (m: IncomingMessage) => (m.headers![CE.specversion] = '0.3')],
    ['a body that is not JSON', (m: IncomingMessage) => (m.value = Buffer.from('{nope'))],
    ['no body', (m: IncomingMessage) => (m.value = null)],
    ['a non-integer stream version', (m: IncomingMessage) => (m.headers![CE.streamversion] = '1.5')],
    ['a zero global position', (m: IncomingMessage) => (m.headers![CE.globalposition] = '0')],
    ['an actor without id', (m: IncomingMessage) => (m.headers![CE.actor] = '{}')],
    ['a time that is not a time', (m: IncomingMessage) => (m.headers![CE.time] = 'yesterday')],
    ['a key that is not the subject', (m: IncomingMessage) => (m.key = 'offer-43')],
    ['another content type', (m: IncomingMessage) => (m.headers![CE.contentType] = 'application/avro')],
  ])('rejects a message with %s as malformed', (_label, spoil) => {
    const message = asReceived(toKafkaMessage(event));
    spoil(message);
    expect(() => fromKafkaMessage(message)).toThrow(MalformedMessageError);
  });

  it('rejects a message without headers at all', () => {
    expect(() => fromKafkaMessage({ key: null, value: Buffer.from('{}') })).toThrow(MalformedMessageError);
  });
});
