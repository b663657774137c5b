export * from './offer.module.js';
export * from './projections/offer-list.projection.js';
export { LinkCodes, hashCode } from './application/link-codes.js';
export { OFFER_SERVICE } from './application/offer-store.js';
