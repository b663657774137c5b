export * from './postgres.js';
export * from './event-store-contract.js';
