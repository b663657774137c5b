import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { migrate, type SqlClient } from '@dap/eventsourcing';
import { APP_CONFIG, ConsumerHost, EventStores, Mailer, SQL_CLIENT, type AppConfig } from '@dap/platform';
import { OffersController } from './api/offers.controller.js';
import { LinkCodes } from './application/link-codes.js';
import { OfferCommands } from './application/offer-commands.js';
import { offerMailer } from './application/offer-mailer.consumer.js';
import { OfferQueries } from './application/offer-queries.js';
import { OFFER_SERVICE, OFFER_STORE } from './application/offer-store.js';
import { offerListDdl, offerListProjection } from './projections/offer-list.projection.js';

/** The offer service: offers, their links and sending; its offer list read table. */
@Module({
  controllers: [OffersController],
  providers: [
    {
      provide: OFFER_STORE,
      inject: [EventStores],
      useFactory: (stores: EventStores) => stores.open(OFFER_SERVICE),
    },
    {
      provide: LinkCodes,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new LinkCodes(c.linkSecret, c.publicBaseUrl),
    },
    OfferCommands,
    OfferQueries,
  ],
})
export class OfferModule implements OnModuleInit {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(ConsumerHost) private readonly consumers: ConsumerHost,
    @Inject(Mailer) private readonly mailer: Mailer,
    @Inject(LinkCodes) private readonly links: LinkCodes,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrate(this.db, offerListDdl);
    this.consumers.register(OFFER_SERVICE, offerListProjection);
    this.consumers.register(OFFER_SERVICE, offerMailer(this.mailer, this.links));
  }
}
