/** The offer service's own event store (store name `offer`). */
export const OFFER_STORE = Symbol('OfferStore');
export const OFFER_SERVICE = 'offer';
