import type { OnApplicationShutdown } from '@nestjs/common';
import { SqlEventStore, type EventStore, type SqlClient, type Upcasters } from '@dap/eventsourcing';
import type { AppConfig } from '../config/app-config.js';
import { schemaChecked } from './schema-checked-store.js';

/** Builds a store adapter for a service name. */
export type EventStoreFactory = (
  name: string,
  upcasters?: Upcasters,
) => EventStore & { migrate?: () => Promise<unknown> };

/**
 * The event stores of this process: the services' own (opened by their modules, to append and to
 * relay) and the ones its consumers read. The one place that picks the adapter: `EVENT_STORE=sql`
 * (PostgreSQL: DATABASE_URL or the embedded server) or `kurrentdb`.
 */
export class EventStores implements OnApplicationShutdown {
  private readonly stores = new Map<string, EventStore>();
  private readonly owned = new Set<string>();
  private readonly factory: EventStoreFactory;
  private readonly close: () => Promise<void> = async () => undefined;

  constructor(db: SqlClient, kurrent?: { open: EventStoreFactory; close: () => Promise<void> }) {
    if (kurrent) {
      this.factory = kurrent.open;
      this.close = kurrent.close;
    } else {
      this.factory = (name, upcasters) => new SqlEventStore(db, name, upcasters);
    }
  }

  /** The KurrentDB client (gRPC, heavy to load) is loaded only when EVENT_STORE=kurrentdb. */
  static async create(db: SqlClient, config: AppConfig): Promise<EventStores> {
    if (config.eventStore !== 'kurrentdb') return new EventStores(db);
    const { KurrentDbEventStore } = await import('@dap/eventsourcing/kurrentdb');
    return new EventStores(db, KurrentDbEventStore.shared(config.kurrentdbUrl!));
  }

  /** Opens (and creates, the first time) a service's own store; appends are checked against the event schemas. */
  async open(name: string, upcasters?: Upcasters): Promise<EventStore> {
    this.owned.add(name);
    return schemaChecked(await this.ensure(name, upcasters));
  }

  /** Opens a store for reading, creating it empty when its owner has not yet (another process). */
  async ensure(name: string, upcasters?: Upcasters): Promise<EventStore> {
    let store = this.stores.get(name);
    if (!store) {
      const created = this.factory(name, upcasters);
      await created.migrate?.();
      this.stores.set(name, (store = created));
    }
    return store;
  }

  get(name: string): EventStore {
    const store = this.stores.get(name);
    if (store) return store;
    const created = this.factory(name);
    this.stores.set(name, created);
    return created;
  }

  /** The stores the service modules of this process own (what a Kafka relay publishes). */
  own(): EventStore[] {
    return [...this.owned].map((name) => this.get(name));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
