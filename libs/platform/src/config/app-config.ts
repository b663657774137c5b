import { availableParallelism } from 'node:os';
import { z } from 'zod';

export const DEV_JWT_SECRET = 'dev-only-secret-change-me-0123456789abcdef';
export const DEV_LINK_SECRET = 'dev-only-offer-link-secret-0123456789abcdef';

/** A count of attempts per window (SPEC §5: offer-link attempts are rate-limited). */
const attempts = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);
const windowSeconds = (fallback: number) => z.coerce.number().int().min(1).max(86_400).default(fallback);

const schema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    PUBLIC_BASE_URL: z.url().optional(),
    AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    AUTH_JWKS_URL: z.url().optional(),
    OFFER_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    EVENT_STORE: z.enum(['sql', 'kurrentdb']).default('sql'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    KURRENTDB_URL: z
      .string()
      .regex(/^(kurrentdb|esdb|kdb)(\+discover)?:\/\//, 'must be a kurrentdb:// URL')
      .optional(),
    KAFKA_BROKERS: z
      .string()
      .regex(/^[^,\s]+(,[^,\s]+)*$/, 'must be host:port[,host:port...]')
      .optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// URL')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PLATFORM_TENANT_ID: z.string().min(1).default('platform'),
    MAIL_FROM: z.string().default('Delegated Admin <no-reply@localhost>'),
    POLL_INTERVAL_MS: z.coerce.number().int().min(1).default(250),
    // A consumer woken sooner than this after its last read waits out the rest, so that commands arriving
    // one at a time are applied several to a transaction (tools/bench/README.md, sixth pass). A read with
    // X-Min-Position cuts the wait short.
    CONSUMER_GATHER_MS: z.coerce.number().int().min(0).max(1000).default(10),
    // Half the cores: the embedded server (or a local PostgreSQL) needs the other half. On two cores one
    // worker answered commands 40-50% faster than two and reads as fast (tools/bench/README.md).
    HTTP_WORKERS: z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .default(Math.max(1, Math.floor(availableParallelism() / 2))),
    // Per process. On two cores PostgreSQL commits most with about eight busy connections (the INSERT
    // floor in tools/bench); more only queue inside the server, behind the append lock.
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(8),
    // Set by the standalone process for its HTTP workers: only one runs consumers and schedulers.
    DAP_BACKGROUND_WORK: z.enum(['on', 'off']).default('on'),
    OFFER_LINK_CALLER_LIMIT: attempts(10),
    OFFER_LINK_CALLER_WINDOW_SECONDS: windowSeconds(60),
    OFFER_LINK_FAILURE_LIMIT: attempts(30),
    OFFER_LINK_FAILURE_WINDOW_SECONDS: windowSeconds(60),
  })
  .superRefine((env, ctx) => {
    if (env.EVENT_STORE === 'kurrentdb' && !env.KURRENTDB_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['KURRENTDB_URL'],
        message: 'is required when EVENT_STORE=kurrentdb',
      });
    if (env.NODE_ENV === 'production') {
      if (!env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL)
        ctx.addIssue({
          code: 'custom',
          path: ['AUTH_JWT_SECRET'],
          message:
            'or AUTH_JWKS_URL is required when NODE_ENV=production (the development secret is refused)',
        });
      if (!env.OFFER_LINK_SECRET)
        ctx.addIssue({
          code: 'custom',
          path: ['OFFER_LINK_SECRET'],
          message: 'is required when NODE_ENV=production (the development secret is refused)',
        });
    }
  });

export interface AppConfig {
  nodeEnv: string;
  port: number;
  host: string;
  dataDir: string;
  publicBaseUrl: string;
  jwtSecret?: string;
  jwksUrl?: string;
  /** True when tokens are checked with the built-in development secret. */
  devJwtSecret: boolean;
  linkSecret: string;
  devLinkSecret: boolean;
  eventStore: 'sql' | 'kurrentdb';
  databaseUrl?: string;
  kurrentdbUrl?: string;
  kafkaBrokers?: string[];
  smtpUrl?: string;
  logLevel: string;
  platformTenantId: string;
  mailFrom: string;
  pollIntervalMs: number;
  /** The least time between two reads of a consumer woken by appends (see StoreLogOptions.gatherMs). */
  consumerGatherMs: number;
  /** Standalone: HTTP worker processes sharing the port and the embedded server. */
  httpWorkers: number;
  /** Connections per process: HTTP requests and every consumer's batch transaction share them. */
  databasePoolSize: number;
  /** False in the standalone's extra HTTP workers: consumers, relays and schedulers run in one process. */
  backgroundWork: boolean;
  offerLinkLimits: OfferLinkLimits;
}

export interface AttemptLimit {
  limit: number;
  windowMs: number;
}

/** Offer-link attempts: all of them per caller, the failed ones (wrong or rotated code) per offer. */
export interface OfferLinkLimits {
  perCaller: AttemptLimit;
  failuresPerOffer: AttemptLimit;
}

export class ConfigError extends Error {}

/** Reads SPEC §8 variables; a bad or missing value throws one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const e = parsed.data;
  const jwtSecret = e.AUTH_JWKS_URL ? e.AUTH_JWT_SECRET : (e.AUTH_JWT_SECRET ?? DEV_JWT_SECRET);
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    jwtSecret,
    jwksUrl: e.AUTH_JWKS_URL,
    devJwtSecret: jwtSecret === DEV_JWT_SECRET,
    linkSecret: e.OFFER_LINK_SECRET ?? DEV_LINK_SECRET,
    devLinkSecret: !e.OFFER_LINK_SECRET,
    eventStore: e.EVENT_STORE,
    databaseUrl: e.DATABASE_URL,
    kurrentdbUrl: e.KURRENTDB_URL,
    kafkaBrokers: e.KAFKA_BROKERS?.split(','),
    smtpUrl: e.SMTP_URL,
    logLevel: e.LOG_LEVEL,
    platformTenantId: e.PLATFORM_TENANT_ID,
    mailFrom: e.MAIL_FROM,
    pollIntervalMs: e.POLL_INTERVAL_MS,
    consumerGatherMs: e.CONSUMER_GATHER_MS,
    httpWorkers: e.HTTP_WORKERS,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    backgroundWork: e.DAP_BACKGROUND_WORK === 'on',
    offerLinkLimits: {
      perCaller: { limit: e.OFFER_LINK_CALLER_LIMIT, windowMs: e.OFFER_LINK_CALLER_WINDOW_SECONDS * 1000 },
      failuresPerOffer: {
        limit: e.OFFER_LINK_FAILURE_LIMIT,
        windowMs: e.OFFER_LINK_FAILURE_WINDOW_SECONDS * 1000,
      },
    },
  };
}

/** For a process's main: a bad configuration prints its one line and exits 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
