import type { DelegatedRole } from './events/offer.events.js';

/**
 * SPEC §4, the delegated-access rules shared by every service that decides who may act on a client
 * (consent answers /access-decisions with it, service-request guards its commands and reads with it), so
 * both always give the same answer. Pure; time is passed in.
 */

const RANK: Record<DelegatedRole, number> = { limited: 1, full: 2 };

/** The highest of some roles (`full` > `limited`), or null for none. */
export function highestRole(roles: readonly DelegatedRole[]): DelegatedRole | null {
  return roles.reduce<DelegatedRole | null>(
    (best, r) => (best === null || RANK[r] > RANK[best] ? r : best),
    null,
  );
}

/** The user's role capped by what the delegation granted. */
export function capRole(
  userRole: DelegatedRole | null,
  granted: readonly DelegatedRole[],
): DelegatedRole | null {
  const cap = highestRole(granted);
  if (userRole === null || cap === null) return null;
  return RANK[userRole] <= RANK[cap] ? userRole : cap;
}

export const roleAtLeast = (role: DelegatedRole, needed: DelegatedRole): boolean =>
  RANK[role] >= RANK[needed];

/** The delegated actions and the least role each needs (null: never supported, e.g. MDM). */
export const ACTION_REQUIREMENTS: Readonly<Record<string, DelegatedRole | null>> = {
  'users.read': 'limited',
  'users.resetPassword': 'limited',
  'serviceRequests.create': 'limited',
  'serviceRequests.read': 'limited',
  'users.create': 'full',
  'users.delete': 'full',
  'domains.add': 'full',
  'subscriptions.manage': 'full',
  'exchange.manage': 'full',
  'sharepoint.manage': 'full',
  'teams.manage': 'full',
  'mdm.manage': null,
};
export const DELEGATED_ACTIONS = Object.keys(ACTION_REQUIREMENTS);

export type AccessReason =
  | 'allowed'
  | 'no-delegation'
  | 'delegation-revoked'
  | 'delegation-expired'
  | 'no-role'
  | 'role-insufficient'
  | 'not-supported';

export interface AccessDecision {
  allowed: boolean;
  effectiveRole: DelegatedRole | null;
  reason: AccessReason;
}

/** The latest delegation between the user's partner and the client, as far as access is concerned. */
export interface DelegationView {
  status: 'active' | 'revoked' | 'expired';
  grantedRoles: DelegatedRole[];
  expiresAt: string | null;
}

export interface AccessQuery {
  action: string;
  delegation: DelegationView | null;
  userRole: DelegatedRole | null;
  now: Date;
}

const deny = (reason: AccessReason, effectiveRole: DelegatedRole | null = null): AccessDecision => ({
  allowed: false,
  effectiveRole,
  reason,
});

/**
 * Applied in a fixed order: an unsupported (or unknown) action is refused whatever else holds; then the
 * delegation must exist, be neither revoked nor expired (an active one at or past its expiry instant
 * counts as expired, before consent records it), the user must hold a role, and the role capped by
 * the delegation must suffice.
 */
export function decideAccess({ action, delegation, userRole, now }: AccessQuery): AccessDecision {
  const usable =
    delegation?.status === 'active' &&
    (delegation.expiresAt === null || Date.parse(delegation.expiresAt) > now.getTime());
  const effectiveRole = usable ? capRole(userRole, delegation.grantedRoles) : null;
  const needed = ACTION_REQUIREMENTS[action];
  if (needed === null || needed === undefined) return deny('not-supported', effectiveRole);
  if (delegation === null) return deny('no-delegation');
  if (delegation.status === 'revoked') return deny('delegation-revoked');
  if (!usable) return deny('delegation-expired');
  if (userRole === null || effectiveRole === null) return deny('no-role');
  if (!roleAtLeast(effectiveRole, needed)) return deny('role-insufficient', effectiveRole);
  return { allowed: true, effectiveRole, reason: 'allowed' };
}
