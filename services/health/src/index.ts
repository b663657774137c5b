export * from './health.module.js';
export * from './projections/health-issues.projection.js';
export * from './projections/partner-clients.projection.js';
