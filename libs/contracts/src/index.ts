export * from './envelope.js';
export * from './events/offer.events.js';
export * from './events/health.events.js';
export * from './events/service-request.events.js';
export * from './schemas/schema-registry.js';
export * from './schemas/health.schemas.js';
export * from './schemas/service-request.schemas.js';
