export * from './postgres.js';
export * from './event-store-contract.js';
export * from './http-app.js';
export * from './consent-events.js';
export * from './dto-values.js';
