import type { DelegatedRole, OfferIncludes } from '@dap/contracts';
import { gone } from '@dap/eventsourcing';

/** What consent knows of an offer, learnt only from offer events. */
export interface OfferTerms {
  offerId: string;
  partnerId: string;
  grantedRoles: DelegatedRole[];
  delegationDuration: string | null;
  autoExtend: boolean;
  /** When the offer itself stops being acceptable (ISO), or null. */
  expiresAt: string | null;
  includes: OfferIncludes;
  status: 'active' | 'revoked';
  /** Addresses of the partner to e-mail about delegations from this offer. */
  partnerContacts?: string[];
}

/** A revoked offer, or one at or past its expiry instant, answers 410. */
export function assertOfferAcceptable(offer: OfferTerms, now: Date): void {
  if (offer.status === 'revoked') throw gone('the offer has been revoked', 'offer-revoked');
  if (offer.expiresAt !== null && Date.parse(offer.expiresAt) <= now.getTime()) {
    throw gone('the offer has expired', 'offer-expired');
  }
}
