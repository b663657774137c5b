import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SERVICES, deadLetterTopicFor, topicFor } from '../envelope.js';
import { clientDirectorySchemas } from '../schemas/client-directory.schemas.js';
import { consentSchemas } from '../schemas/consent.schemas.js';
import { healthSchemas } from '../schemas/health.schemas.js';
import { offerSchemas } from '../schemas/offer.schemas.js';
import { eventSchemas } from '../schemas/schema-registry.js';
import { serviceRequestSchemas } from '../schemas/service-request.schemas.js';
import { toYaml } from './yaml-writer.js';

/**
 * Builds the AsyncAPI 3.0 document of the distributed mode's topics from the schema registry, so the
 * document cannot drift from the schemas the services validate against. `asyncapi.spec.ts` fails when
 * the committed `libs/contracts/asyncapi.yaml` differs; regenerate it with
 * `npm run asyncapi -w @dap/contracts` (or `UPDATE_ASYNCAPI=1` on that test).
 */

/** Which service publishes which event types: each service's own schema table. */
const publishedBy: Record<string, Record<string, unknown>> = {
  offer: offerSchemas,
  consent: consentSchemas,
  'client-directory': clientDirectorySchemas,
  health: healthSchemas,
  'service-request': serviceRequestSchemas,
};

export const ASYNCAPI_PATH = fileURLToPath(new URL('../../asyncapi.yaml', import.meta.url));

const camel = (service: string) => service.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const messageId = (type: string, version: string | number) => `${type}.v${version}`;

/** The service that publishes `type`; an event type in the registry that no service table holds is an error. */
export function publisherOf(type: string): string {
  const service = Object.keys(publishedBy).find((s) => type in publishedBy[s]);
  if (!service) throw new Error(`event type ${type} is in eventSchemas but in no service's schema table`);
  return service;
}

const header = (description: string, schema: Record<string, unknown> = { type: 'string' }) => ({
  ...schema,
  description,
});

/** The CloudEvents binary-mode headers every message carries. */
const cloudEventHeaders = {
  type: 'object',
  required: [
    'ce_specversion',
    'ce_id',
    'ce_type',
    'ce_source',
    'ce_subject',
    'ce_time',
    'ce_schemaversion',
    'ce_streamversion',
    'ce_globalposition',
    'ce_actor',
    'content-type',
  ],
  properties: {
    ce_specversion: header('CloudEvents version', { const: '1.0' }),
    ce_id: header('Event id (UUID), unique per event: consumers deduplicate on it', {
      type: 'string',
      format: 'uuid',
    }),
    ce_type: header('Event type, e.g. DelegationGranted'),
    ce_source: header('Publishing service, e.g. consent', { enum: [...SERVICES] }),
    ce_subject: header('Stream (aggregate) id; equal to the message key'),
    ce_time: header('When the event was recorded, ISO-8601 UTC', { type: 'string', format: 'date-time' }),
    ce_schemaversion: header('Payload schema version (decimal integer as text, from 1)', {
      type: 'string',
      pattern: '^[1-9][0-9]*$',
    }),
    ce_partnerid: header('Partner the event belongs to (tenancy), when there is one'),
    ce_correlationid: header('Request that started the chain, carried end to end'),
    ce_causationid: header('Id of the event or request that caused this one'),
    ce_streamversion: header('Version of the stream after this event (from 1)', {
      type: 'string',
      pattern: '^[1-9][0-9]*$',
    }),
    ce_globalposition: header('Position in the publishing service store (increasing, may have gaps)', {
      type: 'string',
      pattern: '^[1-9][0-9]*$',
    }),
    ce_actor: header(
      'JSON object {"id","tenantId","roles"} of whoever caused it, or {"id":"system:<component>"}',
    ),
    'content-type': header('Payload encoding', { const: 'application/json' }),
  },
};

const deadLetterHeaders = {
  type: 'object',
  description: 'The original message headers (if any could be read), plus these',
  required: [
    'dlq_error',
    'dlq_reason',
    'dlq_consumer',
    'dlq_original_topic',
    'dlq_original_partition',
    'dlq_original_offset',
  ],
  properties: {
    dlq_error: header('Error message (truncated to 4000 characters)'),
    dlq_reason: header('Why it was set aside', { enum: ['malformed', 'handler-failed'] }),
    dlq_consumer: header('Consumer group that gave up on it'),
    dlq_attempts: header('Attempts made (0 for a malformed message)'),
    dlq_original_topic: header('Topic it was read from'),
    dlq_original_partition: header('Partition it was read from'),
    dlq_original_offset: header('Offset it had there'),
    dlq_failed_at: header('When it was set aside, ISO-8601 UTC'),
  },
};

export function buildAsyncApi(): Record<string, unknown> {
  const types = Object.keys(eventSchemas).sort();
  const byService = new Map<string, string[]>(SERVICES.map((s) => [s, []]));
  for (const type of types) byService.get(publisherOf(type))!.push(type);

  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {
    CloudEventHeaders: cloudEventHeaders,
    DeadLetterHeaders: deadLetterHeaders,
  };
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};

  for (const [service, serviceTypes] of byService) {
    const channelId = `${camel(service)}Events`;
    const channelMessages: Record<string, unknown> = {};
    for (const type of serviceTypes) {
      for (const version of Object.keys(eventSchemas[type]).sort((a, b) => Number(a) - Number(b))) {
        const id = messageId(type, version);
        schemas[id] = { title: `${type} v${version}`, ...eventSchemas[type][Number(version)] };
        messages[id] = {
          name: type,
          title: `${type} (schema version ${version})`,
          contentType: 'application/json',
          headers: {
            allOf: [
              { $ref: '#/components/schemas/CloudEventHeaders' },
              {
                type: 'object',
                properties: {
                  ce_type: { const: type },
                  ce_source: { const: service },
                  ce_schemaversion: { const: version },
                },
              },
            ],
          },
          payload: { $ref: `#/components/schemas/${id}` },
          correlationId: { $ref: '#/components/correlationIds/correlationId' },
          bindings: {
            kafka: {
              key: { type: 'string', description: 'The subject: stream (aggregate) id' },
              bindingVersion: '0.5.0',
            },
          },
        };
        channelMessages[id] = { $ref: `#/components/messages/${id}` };
      }
    }
    channels[channelId] = {
      address: topicFor(service),
      title: `Events published by the ${service} service`,
      description: `Every event of the ${service} store, in store order per subject. Key = subject (one partition per aggregate, so per-aggregate order holds); at-least-once: deduplicate on ce_id.`,
      messages: channelMessages,
      bindings: { kafka: { topic: topicFor(service), bindingVersion: '0.5.0' } },
    };
    channels[`${channelId}DeadLetters`] = {
      address: deadLetterTopicFor(service),
      title: `Dead letters of consumers of ${topicFor(service)}`,
      description:
        'Messages a consumer could not read (malformed, or failing their schema) or handle after bounded retries; the original key and body, the original headers plus dlq_* headers.',
      messages: { deadLetter: { $ref: '#/components/messages/DeadLetter' } },
      bindings: { kafka: { topic: deadLetterTopicFor(service), bindingVersion: '0.5.0' } },
    };
    operations[`publish${camel(`-${service}`)}Events`] = {
      action: 'send',
      title: `The ${service} service publishes its events`,
      channel: { $ref: `#/channels/${channelId}` },
      messages: Object.keys(channelMessages).map((id) => ({
        $ref: `#/channels/${channelId}/messages/${id}`,
      })),
    };
    operations[`consume${camel(`-${service}`)}Events`] = {
      action: 'receive',
      title: `Downstream systems read the ${service} events (a consumer group of their own)`,
      channel: { $ref: `#/channels/${channelId}` },
      messages: Object.keys(channelMessages).map((id) => ({
        $ref: `#/channels/${channelId}/messages/${id}`,
      })),
    };
  }
  messages.DeadLetter = {
    name: 'DeadLetter',
    title: 'A message set aside by a consumer',
    headers: { $ref: '#/components/schemas/DeadLetterHeaders' },
    payload: { description: 'The original body, unchanged (normally the event payload as JSON)' },
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Delegated administration: published events',
      version: '1.0.0',
      description:
        'Generated from libs/contracts/src/schemas by src/asyncapi/generate-asyncapi.ts; do not edit by hand. ' +
        'One topic per publishing service (<service>.events.v1), keyed by subject, CloudEvents 1.0 binary mode: ' +
        'attributes as ce_* headers, the payload as a JSON body. Payload schemas are JSON Schema 2020-12; ' +
        'a payload change bumps ce_schemaversion and gets a new message here.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: 'kafka:9092',
        protocol: 'kafka',
        description: 'The bootstrap servers of the deployment (KAFKA_BROKERS)',
      },
    },
    channels,
    operations,
    components: {
      schemas,
      messages,
      correlationIds: {
        correlationId: {
          description: 'Request that started the chain',
          location: '$message.header#/ce_correlationid',
        },
      },
    },
  };
}

export const renderAsyncApi = (): string =>
  `# Generated by libs/contracts/src/asyncapi/generate-asyncapi.ts from eventSchemas. Do not edit by hand.\n${toYaml(buildAsyncApi())}`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(ASYNCAPI_PATH, renderAsyncApi());
  console.log(`wrote ${ASYNCAPI_PATH}`);
}
