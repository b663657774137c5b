import { join } from 'node:path';
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Logger } from 'pino';
import { PgSqlClient, type SqlClient } from '@dap/eventsourcing';
import { ConsumerProgress } from '@dap/messaging';
import { AuthGuard } from '../auth/auth.guard.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import type { AppConfig } from '../config/app-config.js';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor.js';
import { MinPositionInterceptor } from '../http/min-position.interceptor.js';
import { FileMailer, Mailer, SmtpMailer } from '../mail/mailer.js';
import { Metrics } from '../ops/metrics.js';
import { OpsController } from '../ops/ops.controller.js';
import { ConsumerHost } from './consumer-host.js';
import { EventStores } from './event-stores.js';
import { APP_CONFIG, CLOCK, KAFKA, LOGGER, SQL_CLIENT, systemClock, type Clock } from './tokens.js';
import { DatabaseLifecycle } from './database-lifecycle.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface PlatformOptions {
  config: AppConfig;
  logger: Logger;
  /** An already open database (tests); otherwise DATABASE_URL or the embedded store under DATA_DIR. */
  db?: SqlClient;
  clock?: Clock;
}

/**
 * Opens the configured database: PostgreSQL at DATABASE_URL, else the embedded PostgreSQL server under
 * DATA_DIR, started here and stopped when the client closes. `share` lets an operator tool use the
 * embedded server of a standalone process that is running on the same DATA_DIR.
 */
export async function openDatabase(config: AppConfig, options: { share?: boolean } = {}): Promise<SqlClient> {
  const max = config.databasePoolSize;
  if (config.databaseUrl) return new PgSqlClient(config.databaseUrl, { max });
  const server = await startEmbeddedPostgres(config.dataDir, options);
  return new PgSqlClient(server.url, { max, onClose: () => server.stop() });
}

/** Everything a service module needs from its process: database, stores, consumers, mail, auth. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config } = options;
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: LOGGER, useValue: options.logger },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      {
        provide: SQL_CLIENT,
        // A standalone HTTP worker uses the embedded server its primary process started.
        useFactory: async () =>
          options.db ?? openDatabase(config, { share: process.env.DAP_HTTP_WORKER === '1' }),
      },
      // A database the platform opened is closed by it on shutdown (the embedded server stops with it).
      {
        provide: DatabaseLifecycle,
        inject: [SQL_CLIENT],
        useFactory: (db: SqlClient) => new DatabaseLifecycle(options.db ? null : db),
      },
      {
        provide: KAFKA,
        // kafkajs is loaded only when KAFKA_BROKERS is set.
        useFactory: async () => {
          if (!config.kafkaBrokers) return null;
          const { KafkaDistribution, kafkaSettingsFromEnv } = await import('@dap/messaging/kafka');
          const settings = kafkaSettingsFromEnv({
            ...process.env,
            KAFKA_BROKERS: config.kafkaBrokers.join(','),
          });
          return settings ? new KafkaDistribution(settings) : null;
        },
      },
      { provide: TokenVerifier, useValue: new TokenVerifier(config) },
      {
        provide: Mailer,
        useValue: config.smtpUrl
          ? new SmtpMailer(config.smtpUrl, config.mailFrom)
          : new FileMailer(join(config.dataDir, 'mail'), config.mailFrom),
      },
      ConsumerProgress,
      {
        provide: EventStores,
        inject: [SQL_CLIENT],
        useFactory: (db: SqlClient) => EventStores.create(db, config),
      },
      ConsumerHost,
      Metrics,
      IdempotencyInterceptor,
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
      { provide: APP_INTERCEPTOR, useClass: MinPositionInterceptor },
    ];
    return {
      module: PlatformModule,
      controllers: [OpsController],
      providers,
      exports: [
        APP_CONFIG,
        LOGGER,
        CLOCK,
        SQL_CLIENT,
        TokenVerifier,
        Mailer,
        ConsumerProgress,
        EventStores,
        ConsumerHost,
        Metrics,
      ],
    };
  }
}
