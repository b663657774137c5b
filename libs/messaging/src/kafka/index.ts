export * from './cloudevents-mapping.js';
export * from './kafka-settings.js';
export * from './kafka-topics.js';
export * from './kafka-relay.js';
export * from './kafka-event-source.js';
export * from './kafka-lag.js';
export * from './kafka-distribution.js';
