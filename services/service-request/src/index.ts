export * from './service-request.module.js';
export * from './projections/access.projection.js';
export * from './projections/service-requests.projection.js';
