export * from './health.module.js';
export * from './projections/health-issues.projection.js';
export * from './projections/partner-clients.projection.js';
export {
  HEALTH_SCHEMA,
  healthTablesDdl,
  HEALTH_ISSUES_TABLES,
  PARTNER_CLIENTS_TABLES,
} from './projections/health-tables.js';
