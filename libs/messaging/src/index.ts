export * from './event-consumer.js';
export * from './consumer-progress.js';
export * from './idempotent-consumer.js';
export * from './store-log/store-log-event-source.js';
export * from './store-log/shared-log-reader.js';
export * from './set-wise-runs.js';
