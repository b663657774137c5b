import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { migrate, type EventStore, type SqlClient } from '@dap/eventsourcing';
import { ConsumerProgress } from '@dap/messaging';
import { ConsumerHost, EventStores, SQL_CLIENT } from '@dap/platform';
import { ClientsController } from './api/clients.controller.js';
import { adminCenterTemplates } from './application/admin-centers.js';
import { ADMIN_CENTERS, CLIENT_DIRECTORY_STORE } from './application/client-directory.store.js';
import { cachedPages, ClientListCache } from './application/client-list.cache.js';
import { ClientProfileCommands } from './application/client-profile-commands.js';
import { ClientQueries } from './application/client-queries.js';
import { BundledSubscriptionsProcessManager } from './projections/bundled-subscriptions.process-manager.js';
import { CLIENT_DIRECTORY } from './projections/client-directory.schema.js';
import { clientListDdl } from './projections/client-list.ddl.js';
import { ClientListProjection } from './projections/client-list.projection.js';

/** The client-directory service: client profiles and subscriptions, and the client management list. */
@Module({
  controllers: [ClientsController],
  providers: [
    {
      provide: CLIENT_DIRECTORY_STORE,
      inject: [EventStores],
      useFactory: (stores: EventStores) => stores.open(CLIENT_DIRECTORY),
    },
    { provide: ADMIN_CENTERS, useFactory: () => adminCenterTemplates(process.env.ADMIN_CENTER_TEMPLATES) },
    {
      provide: ClientListCache,
      inject: [ConsumerProgress],
      useFactory: (progress: ConsumerProgress) =>
        new ClientListCache(progress, cachedPages(process.env.CLIENT_LIST_CACHE_PAGES)),
    },
    ClientQueries,
    ClientProfileCommands,
  ],
})
export class ClientDirectoryModule implements OnModuleInit {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(ConsumerHost) private readonly consumers: ConsumerHost,
    @Inject(CLIENT_DIRECTORY_STORE) private readonly store: EventStore,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrate(this.db, clientListDdl);
    this.consumers.register(CLIENT_DIRECTORY, new ClientListProjection());
    this.consumers.register(CLIENT_DIRECTORY, new BundledSubscriptionsProcessManager(this.store));
  }
}
