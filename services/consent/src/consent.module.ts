import {
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { EventStore, SqlClient } from '@dap/eventsourcing';
import {
  APP_CONFIG,
  CLOCK,
  ConsumerHost,
  EventStores,
  LOGGER,
  Mailer,
  SQL_CLIENT,
  type AppConfig,
  type Clock,
} from '@dap/platform';
import { AccessDecisionsController } from './api/access-decisions.controller.js';
import { AuditController } from './api/audit.controller.js';
import { DelegationsController } from './api/delegations.controller.js';
import { OfferLinksController } from './api/offer-links.controller.js';
import { PartnerUsersController } from './api/partner-users.controller.js';
import { acceptanceMailConsumer } from './application/acceptance-mail.consumer.js';
import { AccessDecisions } from './application/access-decisions.service.js';
import { CONSENT_SERVICE, CONSENT_STORE } from './application/consent-store.js';
import { Delegations } from './application/delegations.service.js';
import { ExpiryScheduler } from './application/expiry-scheduler.js';
import { OfferLinks } from './application/offer-links.service.js';
import { PartnerUsers } from './application/partner-users.service.js';
import { AcceptanceRateLimiter } from './application/rate-limiter.js';
import { AuditTrail } from './audit/audit-trail.js';
import { auditChainProjection } from './projections/audit-chain.projection.js';
import { migrateConsentTables } from './projections/consent-tables.js';
import { delegationListProjection } from './projections/delegation-list.projection.js';
import { offerTermsProjection } from './projections/offer-terms.projection.js';
import { partnerUsersProjection } from './projections/partner-users.projection.js';

/** How often the expiry scheduler looks for due expiries and notices (CONSENT_EXPIRY_TICK_MS). */
const tickMs = () => Number(process.env.CONSENT_EXPIRY_TICK_MS ?? 60_000) || 60_000;

/**
 * The consent service: delegations (partner × client), partner users' delegated roles, access
 * decisions, the expiry scheduler and the hash-chained audit trail.
 */
@Module({
  controllers: [
    OfferLinksController,
    DelegationsController,
    PartnerUsersController,
    AccessDecisionsController,
    AuditController,
  ],
  providers: [
    {
      provide: CONSENT_STORE,
      inject: [EventStores],
      useFactory: (stores: EventStores) => stores.open(CONSENT_SERVICE),
    },
    {
      provide: AcceptanceRateLimiter,
      inject: [SQL_CLIENT, APP_CONFIG],
      useFactory: (db: SqlClient, config: AppConfig) => new AcceptanceRateLimiter(db, config.offerLinkLimits),
    },
    {
      provide: OfferLinks,
      inject: [CONSENT_STORE, SQL_CLIENT, CLOCK, AcceptanceRateLimiter],
      useFactory: (store: EventStore, db: SqlClient, clock: Clock, limiter: AcceptanceRateLimiter) =>
        new OfferLinks(store, db, clock, limiter),
    },
    {
      provide: Delegations,
      inject: [CONSENT_STORE, SQL_CLIENT, CLOCK],
      useFactory: (store: EventStore, db: SqlClient, clock: Clock) => new Delegations(store, db, clock),
    },
    {
      provide: PartnerUsers,
      inject: [CONSENT_STORE, SQL_CLIENT, CLOCK],
      useFactory: (store: EventStore, db: SqlClient, clock: Clock) => new PartnerUsers(store, db, clock),
    },
    {
      provide: AccessDecisions,
      inject: [CONSENT_STORE, PartnerUsers, CLOCK],
      useFactory: (store: EventStore, users: PartnerUsers, clock: Clock) =>
        new AccessDecisions(store, users, clock),
    },
    {
      provide: AuditTrail,
      inject: [CONSENT_STORE, SQL_CLIENT],
      useFactory: (store: EventStore, db: SqlClient) => new AuditTrail(store, db),
    },
    {
      provide: ExpiryScheduler,
      inject: [CONSENT_STORE, SQL_CLIENT, Mailer, CLOCK, LOGGER],
      useFactory: (store: EventStore, db: SqlClient, mailer: Mailer, clock: Clock, logger: Logger) =>
        new ExpiryScheduler(store, db, mailer, clock, {
          intervalMs: tickMs(),
          onError: (err) => logger.warn({ err }, 'expiry scheduler tick failed, retrying at the next tick'),
        }),
    },
  ],
  exports: [ExpiryScheduler, AuditTrail],
})
export class ConsentModule implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(ConsumerHost) private readonly consumers: ConsumerHost,
    @Inject(Mailer) private readonly mailer: Mailer,
    @Inject(ExpiryScheduler) private readonly scheduler: ExpiryScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateConsentTables(this.db);
    for (const consumer of [
      offerTermsProjection,
      delegationListProjection,
      partnerUsersProjection,
      auditChainProjection,
    ]) {
      this.consumers.register(CONSENT_SERVICE, consumer);
    }
    this.consumers.register(CONSENT_SERVICE, acceptanceMailConsumer(this.mailer));
  }

  onApplicationBootstrap(): void {
    // In the standalone's extra HTTP workers, the one worker that runs the consumers also runs this.
    if (this.config.backgroundWork) this.scheduler.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }
}
