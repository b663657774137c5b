import { Inject, Injectable } from '@nestjs/common';
import { SqlEventStore, type EventStore, type SqlClient, type Upcasters } from '@dap/eventsourcing';
import { SQL_CLIENT } from './tokens.js';

/** Builds a store adapter for a service name; the one place that knows which adapter is configured. */
export type EventStoreFactory = (
  name: string,
  upcasters?: Upcasters,
) => EventStore & { migrate?: () => Promise<unknown> };

/**
 * The event stores of this process: the service's own (to append) and the ones its consumers read.
 * Defaults to the `sql` adapter over the process's database; distributed mode swaps the factory.
 */
@Injectable()
export class EventStores {
  private readonly stores = new Map<string, EventStore>();
  private factory: EventStoreFactory;

  constructor(@Inject(SQL_CLIENT) db: SqlClient) {
    this.factory = (name, upcasters) => new SqlEventStore(db, name, upcasters);
  }

  useFactory(factory: EventStoreFactory): void {
    this.factory = factory;
  }

  /** Opens (and creates, the first time) a service's store. */
  async open(name: string, upcasters?: Upcasters): Promise<EventStore> {
    const existing = this.stores.get(name);
    if (existing) return existing;
    const store = this.factory(name, upcasters);
    await store.migrate?.();
    this.stores.set(name, store);
    return store;
  }

  get(name: string): EventStore {
    const store = this.stores.get(name);
    if (store) return store;
    const created = this.factory(name);
    this.stores.set(name, created);
    return created;
  }

  all(): EventStore[] {
    return [...this.stores.values()];
  }
}
