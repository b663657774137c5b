export * from './postgres.js';
export * from './event-store-contract.js';
export * from './http-app.js';
