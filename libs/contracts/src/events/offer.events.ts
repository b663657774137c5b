export type DelegatedRole = 'full' | 'limited';

export interface OfferIncludes {
  trial?: { productId: string };
  purchase?: { productId: string; quantity: number };
}

export interface OfferCreated {
  offerId: string;
  partnerId: string;
  includes: OfferIncludes;
  grantedRoles: DelegatedRole[];
  /** ISO-8601 duration (e.g. P90D) or null for no expiry. */
  delegationDuration: string | null;
  autoExtend: boolean;
  expiresAt: string | null;
  message?: string;
  /** sha256 (hex) of the link code; the code itself never leaves the offer service. */
  codeHash: string;
}
export interface OfferSent {
  offerId: string;
  recipients: string[];
  sentBy: string;
  /** Which link the mail carries (1 = the first, +1 per rotation); the code itself is never here. */
  linkVersion?: number;
  message?: string;
}
export interface OfferLinkRotated {
  offerId: string;
  codeHash: string;
}
export interface OfferRevoked {
  offerId: string;
  reason?: string;
}

export interface OfferEventMap {
  OfferCreated: OfferCreated;
  OfferSent: OfferSent;
  OfferLinkRotated: OfferLinkRotated;
  OfferRevoked: OfferRevoked;
}
