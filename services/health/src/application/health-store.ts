/** The health service's own event store (store name `health`). */
export const HEALTH_STORE = Symbol('HealthStore');
export const HEALTH_SERVICE = 'health';
