import type { DelegatedRole, OfferIncludes } from './offer.events.js';

/** The client organization as its administrator described it when accepting. */
export interface ClientAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}
export interface ClientDescription {
  name: string;
  primaryDomain: string;
  address: ClientAddress;
}

export interface DelegationGranted {
  delegationId: string;
  partnerId: string;
  /** The client's tenant id (the accepting client.admin's `tid`). */
  clientId: string;
  offerId: string;
  grantedRoles: DelegatedRole[];
  grantedBy: string;
  grantedAt: string;
  /** grantedAt + the offer's delegationDuration, or null for no expiry. */
  expiresAt: string | null;
  delegationDuration: string | null;
  autoExtend: boolean;
  client: ClientDescription;
  includes: OfferIncludes;
  /** Where the partner is e-mailed about this delegation (the offer's creator, when an address). */
  partnerContacts?: string[];
}
export interface DelegationRevoked {
  delegationId: string;
  partnerId: string;
  clientId: string;
  revokedBy: string;
  side: 'client' | 'partner';
  reason?: string;
}
export interface DelegationExpired {
  delegationId: string;
  partnerId: string;
  clientId: string;
  expiredAt: string;
}
export interface DelegationExtended {
  delegationId: string;
  partnerId: string;
  clientId: string;
  previousExpiresAt: string;
  expiresAt: string;
}
export interface RoleAssigned {
  partnerId: string;
  userId: string;
  role: DelegatedRole;
  previousRole: DelegatedRole | null;
  assignedBy: string;
}
export interface RoleRevoked {
  partnerId: string;
  userId: string;
  previousRole: DelegatedRole;
  revokedBy: string;
}

export interface ConsentEventMap {
  DelegationGranted: DelegationGranted;
  DelegationRevoked: DelegationRevoked;
  DelegationExpired: DelegationExpired;
  DelegationExtended: DelegationExtended;
  RoleAssigned: RoleAssigned;
  RoleRevoked: RoleRevoked;
}
export type ConsentEventType = keyof ConsentEventMap;
export const CONSENT_EVENT_TYPES = [
  'DelegationGranted',
  'DelegationRevoked',
  'DelegationExpired',
  'DelegationExtended',
  'RoleAssigned',
  'RoleRevoked',
] as const satisfies readonly ConsentEventType[];
