import type { OnApplicationShutdown } from '@nestjs/common';
import type { SqlClient } from '@dap/eventsourcing';

/** Closes the process's database after everything else has shut down (consumers first). */
export class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(private readonly db: SqlClient | null) {}
  async onApplicationShutdown(): Promise<void> {
    await this.db?.close();
  }
}
