export * from './client-directory.module.js';
export { ClientListProjection } from './projections/client-list.projection.js';
export {
  BundledSubscriptionsProcessManager,
  BUNDLED_SUBSCRIPTIONS,
} from './projections/bundled-subscriptions.process-manager.js';
export {
  clientListDdl,
  CLIENT_LIST_READ_INDEXES,
  CLIENT_LIST_TABLES,
} from './projections/client-list.ddl.js';
export { CLIENT_DIRECTORY, table as clientDirectoryTable } from './projections/client-directory.schema.js';
export { listClients } from './application/list-clients.query.js';
