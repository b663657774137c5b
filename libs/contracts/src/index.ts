export * from './envelope.js';
export * from './events/offer.events.js';
export * from './schemas/schema-registry.js';
