import type { DelegationState } from '../domain/delegation.decider.js';

/** A delegation as the API shows it. */
export interface DelegationView {
  delegationId: string;
  status: 'active' | 'revoked' | 'expired';
  partnerId: string;
  clientId: string;
  offerId: string;
  grantedRoles: string[];
  grantedAt: string;
  expiresAt: string | null;
  autoExtend: boolean;
  client: unknown;
  includes: unknown;
  version: number;
}

export const viewOfState = (s: DelegationState, version: number): DelegationView => ({
  delegationId: s.delegationId!,
  status: s.status as DelegationView['status'],
  partnerId: s.partnerId!,
  clientId: s.clientId!,
  offerId: s.offerId!,
  grantedRoles: s.grantedRoles,
  grantedAt: s.grantedAt!,
  expiresAt: s.expiresAt,
  autoExtend: s.autoExtend,
  client: s.client,
  includes: s.includes ?? {},
  version,
});
