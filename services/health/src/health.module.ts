import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SqlClient } from '@dap/eventsourcing';
import { ConsumerHost, EventStores, SQL_CLIENT } from '@dap/platform';
import { HealthEventsController } from './api/health-events.controller.js';
import { HealthIssuesController } from './api/health-issues.controller.js';
import { HealthCommands } from './application/health-commands.js';
import { HealthQueries } from './application/health-queries.js';
import { HEALTH_SERVICE, HEALTH_STORE } from './application/health-store.js';
import { healthIssuesProjection } from './projections/health-issues.projection.js';
import { migrateHealthTables } from './projections/health-tables.js';
import { partnerClientsProjection } from './projections/partner-clients.projection.js';

/** The health service: health issues per (client, issue), who may see them, the overview and the SSE feed. */
@Module({
  controllers: [HealthIssuesController, HealthEventsController],
  providers: [
    {
      provide: HEALTH_STORE,
      inject: [EventStores],
      useFactory: (stores: EventStores) => stores.open(HEALTH_SERVICE),
    },
    HealthCommands,
    HealthQueries,
  ],
})
export class HealthModule implements OnModuleInit {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(ConsumerHost) private readonly consumers: ConsumerHost,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateHealthTables(this.db);
    this.consumers.register(HEALTH_SERVICE, healthIssuesProjection);
    this.consumers.register(HEALTH_SERVICE, partnerClientsProjection);
  }
}
