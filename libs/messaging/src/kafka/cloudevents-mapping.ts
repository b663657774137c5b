import type { Actor, EventEnvelope } from '@dap/contracts';

/**
 * Pure mapping between our event envelope and a Kafka message in CloudEvents 1.0 binary mode
 * (Kafka protocol binding): the attributes travel as `ce_*` headers, the payload as the JSON body,
 * and the message key is the subject (the stream id), so every event of one aggregate lands in one
 * partition, in order. No Kafka client here: the adapter hands these plain objects to its client.
 */

export const CE_SPEC_VERSION = '1.0';
export const CONTENT_TYPE = 'application/json';

/** Header names, exactly as they appear on the wire (CloudEvents extensions are lower-case). */
export const CE = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  subject: 'ce_subject',
  time: 'ce_time',
  schemaversion: 'ce_schemaversion',
  partnerid: 'ce_partnerid',
  correlationid: 'ce_correlationid',
  causationid: 'ce_causationid',
  streamversion: 'ce_streamversion',
  globalposition: 'ce_globalposition',
  actor: 'ce_actor',
  contentType: 'content-type',
} as const;

/** Header values as Kafka clients hand them over. */
export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type Headers = Record<string, HeaderValue>;

export interface OutgoingMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface IncomingMessage {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Headers;
}

/** A message that is not a well-formed event of ours; it goes to the dead-letter topic as it is. */
export class MalformedMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessageError';
  }
}

export function toKafkaMessage(event: EventEnvelope): OutgoingMessage {
  const headers: Record<string, string> = {
    [CE.specversion]: CE_SPEC_VERSION,
    [CE.id]: event.id,
    [CE.type]: event.type,
    [CE.source]: event.source,
    [CE.subject]: event.subject,
    [CE.time]: event.time,
    [CE.schemaversion]: String(event.schemaVersion),
    [CE.streamversion]: String(event.streamVersion),
    [CE.globalposition]: String(event.globalPosition),
    [CE.actor]: JSON.stringify(event.actor),
    [CE.contentType]: CONTENT_TYPE,
  };
  if (event.partnerId !== undefined) headers[CE.partnerid] = event.partnerId;
  if (event.correlationId !== undefined) headers[CE.correlationid] = event.correlationId;
  if (event.causationId !== undefined) headers[CE.causationid] = event.causationId;
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

/** The text of a header (the last value when repeated), or undefined. */
export function headerText(headers: Headers | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return value === undefined ? undefined : value.toString();
}

export function fromKafkaMessage(message: IncomingMessage): EventEnvelope {
  const h = message.headers;
  const required = (name: string) => {
    const value = headerText(h, name);
    if (value === undefined || value === '') throw new MalformedMessageError(`missing header ${name}`);
    return value;
  };
  const integer = (name: string, min: number) => {
    const text = required(name);
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min)
      throw new MalformedMessageError(`header ${name} is not an integer >= ${min}: ${text}`);
    return n;
  };
  const specversion = required(CE.specversion);
  if (specversion !== CE_SPEC_VERSION)
    throw new MalformedMessageError(`unsupported ${CE.specversion} ${specversion}`);
  const contentType = headerText(h, CE.contentType);
  if (contentType !== undefined && !contentType.startsWith(CONTENT_TYPE))
    throw new MalformedMessageError(`unsupported content-type ${contentType}`);
  const time = required(CE.time);
  if (Number.isNaN(Date.parse(time)))
    throw new MalformedMessageError(`header ${CE.time} is not a time: ${time}`);
  const actor = parseJson(required(CE.actor), CE.actor) as Actor;
  if (!actor || typeof actor !== 'object' || typeof actor.id !== 'string')
    throw new MalformedMessageError(`header ${CE.actor} has no id`);
  if (message.value === null) throw new MalformedMessageError('message has no body');

  const event: EventEnvelope = {
    id: required(CE.id),
    type: required(CE.type),
    schemaVersion: integer(CE.schemaversion, 1),
    source: required(CE.source),
    subject: required(CE.subject),
    time,
    actor,
    streamVersion: integer(CE.streamversion, 1),
    globalPosition: integer(CE.globalposition, 1),
    data: parseJson(message.value.toString(), 'body'),
  };
  const partnerId = headerText(h, CE.partnerid);
  const correlationId = headerText(h, CE.correlationid);
  const causationId = headerText(h, CE.causationid);
  if (partnerId !== undefined) event.partnerId = partnerId;
  if (correlationId !== undefined) event.correlationId = correlationId;
  if (causationId !== undefined) event.causationId = causationId;
  const key = message.key?.toString();
  if (key !== undefined && key !== event.subject)
    throw new MalformedMessageError(`key ${key} is not the subject ${event.subject}`);
  return event;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedMessageError(`${what} is not JSON: ${(error as Error).message}`);
  }
}
