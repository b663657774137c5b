import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { eventSchemas } from '../schemas/schema-registry.js';
import { ASYNCAPI_PATH, buildAsyncApi, publisherOf, renderAsyncApi } from './generate-asyncapi.js';

describe('AsyncAPI document', () => {
  it('is committed exactly as generated from eventSchemas (regenerate: npm run asyncapi -w @dap/contracts)', () => {
    if (process.env.UPDATE_ASYNCAPI) writeFileSync(ASYNCAPI_PATH, renderAsyncApi());
    expect(readFileSync(ASYNCAPI_PATH, 'utf8')).toBe(renderAsyncApi());
  });

  it('describes every event type and version of eventSchemas on its publisher topic', () => {
    const doc = buildAsyncApi() as {
      channels: Record<string, { address: string; messages: Record<string, unknown> }>;
      components: {
        messages: Record<string, { payload: { $ref: string } }>;
        schemas: Record<string, unknown>;
      };
    };
    const types = Object.keys(eventSchemas);
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) {
      for (const version of Object.keys(eventSchemas[type])) {
        const id = `${type}.v${version}`;
        const channel = Object.values(doc.channels).find(
          (c) => c.address === `${publisherOf(type)}.events.v1`,
        );
        expect(channel?.messages[id]).toEqual({ $ref: `#/components/messages/${id}` });
        expect(doc.components.messages[id].payload).toEqual({ $ref: `#/components/schemas/${id}` });
        expect(doc.components.schemas[id]).toMatchObject(eventSchemas[type][Number(version)]);
      }
    }
  });

  it('has a topic and a dead-letter topic for each of the five services', () => {
    const addresses = Object.values(
      (buildAsyncApi() as { channels: Record<string, { address: string }> }).channels,
    ).map((c) => c.address);
    for (const service of ['offer', 'consent', 'client-directory', 'health', 'service-request']) {
      expect(addresses).toContain(`${service}.events.v1`);
      expect(addresses).toContain(`${service}.events.v1.dlq`);
    }
  });
});
