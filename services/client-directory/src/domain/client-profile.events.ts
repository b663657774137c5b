import type { DomainEvent } from '@dap/eventsourcing';
import type { ClientDirectoryEventMap } from '@dap/contracts';

export type ClientProfileEvent = {
  [K in keyof ClientDirectoryEventMap]: DomainEvent<K, ClientDirectoryEventMap[K]>;
}[keyof ClientDirectoryEventMap];
