export * from './service-request.module.js';
export * from './projections/access.projection.js';
export * from './projections/service-requests.projection.js';
export {
  SERVICE_REQUEST_SCHEMA,
  serviceRequestTablesDdl,
  ACCESS_TABLES,
  SERVICE_REQUESTS_TABLES,
} from './projections/service-request-tables.js';
