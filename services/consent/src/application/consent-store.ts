/** The consent service's own event store (store, schema and token name `consent`). */
export const CONSENT_STORE = Symbol('ConsentStore');
export const CONSENT_SERVICE = 'consent';
