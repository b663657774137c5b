import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SqlClient } from '@dap/eventsourcing';
import { ConsumerHost, EventStores, SQL_CLIENT } from '@dap/platform';
import { ServiceRequestsController } from './api/service-requests.controller.js';
import { ServiceRequestCommands } from './application/service-request-commands.js';
import { ServiceRequestQueries } from './application/service-request-queries.js';
import { SERVICE_REQUEST_SERVICE, SERVICE_REQUEST_STORE } from './application/service-request-store.js';
import { accessProjection } from './projections/access.projection.js';
import { migrateServiceRequestTables } from './projections/service-request-tables.js';
import { serviceRequestsProjection } from './projections/service-requests.projection.js';

/** The service-request service: requests opened on behalf of clients, their notes and statuses. */
@Module({
  controllers: [ServiceRequestsController],
  providers: [
    {
      provide: SERVICE_REQUEST_STORE,
      inject: [EventStores],
      useFactory: (stores: EventStores) => stores.open(SERVICE_REQUEST_SERVICE),
    },
    ServiceRequestCommands,
    ServiceRequestQueries,
  ],
})
export class ServiceRequestModule implements OnModuleInit {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(ConsumerHost) private readonly consumers: ConsumerHost,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateServiceRequestTables(this.db);
    this.consumers.register(SERVICE_REQUEST_SERVICE, accessProjection);
    this.consumers.register(SERVICE_REQUEST_SERVICE, serviceRequestsProjection);
  }
}
