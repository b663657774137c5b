import { describe, expect, it } from '@jest/globals';
import { DEV_JWT_SECRET, loadConfig } from './app-config.js';

describe('configuration', () => {
  it('defaults to standalone mode with announced development secrets', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      dataDir: './data',
      eventStore: 'sql',
      publicBaseUrl: 'http://localhost:3000',
      platformTenantId: 'platform',
      devJwtSecret: true,
      databasePoolSize: 8,
    });
    expect(config.jwtSecret).toBe(DEV_JWT_SECRET);
    expect(config.kafkaBrokers).toBeUndefined();
    expect(config.offerLinkLimits).toEqual({
      perCaller: { limit: 10, windowMs: 60_000 },
      failuresPerOffer: { limit: 30, windowMs: 60_000 },
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT /],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL must be a postgres:\/\/ URL$/],
    [
      { EVENT_STORE: 'kurrentdb' },
      /^Invalid configuration: KURRENTDB_URL is required when EVENT_STORE=kurrentdb$/,
    ],
    [{ KAFKA_BROKERS: 'a:1,,b:2' }, /^Invalid configuration: KAFKA_BROKERS /],
    [{ AUTH_JWT_SECRET: 'short' }, /^Invalid configuration: AUTH_JWT_SECRET must be at least 32 characters$/],
    [
      { NODE_ENV: 'production', OFFER_LINK_SECRET: 'x'.repeat(32) },
      /^Invalid configuration: AUTH_JWT_SECRET .*production/,
    ],
    [
      { NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) },
      /^Invalid configuration: OFFER_LINK_SECRET .*production/,
    ],
    [{ OFFER_LINK_CALLER_LIMIT: 'ten' }, /^Invalid configuration: OFFER_LINK_CALLER_LIMIT /],
    [{ OFFER_LINK_CALLER_LIMIT: '0' }, /^Invalid configuration: OFFER_LINK_CALLER_LIMIT /],
    [{ OFFER_LINK_FAILURE_LIMIT: '2.5' }, /^Invalid configuration: OFFER_LINK_FAILURE_LIMIT /],
    [{ OFFER_LINK_CALLER_WINDOW_SECONDS: '-1' }, /^Invalid configuration: OFFER_LINK_CALLER_WINDOW_SECONDS /],
    [{ OFFER_LINK_FAILURE_WINDOW_SECONDS: '' }, /^Invalid configuration: OFFER_LINK_FAILURE_WINDOW_SECONDS /],
    [{ DATABASE_POOL_SIZE: '1' }, /^Invalid configuration: DATABASE_POOL_SIZE /],
  ])('stops on %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes real secrets and distributed settings', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 's'.repeat(40),
      OFFER_LINK_SECRET: 'l'.repeat(40),
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      DATABASE_URL: 'postgres://db/x',
      PORT: '8080',
      PUBLIC_BASE_URL: 'https://admin.example.com/',
      OFFER_LINK_CALLER_LIMIT: '5',
      OFFER_LINK_CALLER_WINDOW_SECONDS: '30',
      OFFER_LINK_FAILURE_LIMIT: '100',
      OFFER_LINK_FAILURE_WINDOW_SECONDS: '3600',
      DATABASE_POOL_SIZE: '32',
    });
    expect(config).toMatchObject({
      devJwtSecret: false,
      devLinkSecret: false,
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      port: 8080,
      databasePoolSize: 32,
      publicBaseUrl: 'https://admin.example.com',
      offerLinkLimits: {
        perCaller: { limit: 5, windowMs: 30_000 },
        failuresPerOffer: { limit: 100, windowMs: 3_600_000 },
      },
    });
  });
});
