import type { DelegatedRole } from '@dap/contracts';
import { invalid } from '@dap/eventsourcing';
import { capRole, roleAtLeast } from './roles.js';

/** SPEC §4: the delegated actions, and the least role each needs (null: never supported). */
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
 * SPEC §4 applied in a fixed order: an unsupported action is refused whatever else holds; then the
 * delegation must exist, be neither revoked nor expired (an active one at or past its expiry instant
 * counts as expired), the user must hold a role, and the role capped by the delegation must suffice.
 */
export function decideAccess({ action, delegation, userRole, now }: AccessQuery): AccessDecision {
  if (!(action in ACTION_REQUIREMENTS)) throw invalid(`unknown action ${action}`, 'action');
  const usable =
    delegation?.status === 'active' &&
    (delegation.expiresAt === null || Date.parse(delegation.expiresAt) > now.getTime());
  const effectiveRole = usable ? capRole(userRole, delegation.grantedRoles) : null;
  const needed = ACTION_REQUIREMENTS[action];
  if (needed === null) return deny('not-supported', effectiveRole);
  if (delegation === null) return deny('no-delegation');
  if (delegation.status === 'revoked') return deny('delegation-revoked');
  if (!usable) return deny('delegation-expired');
  if (userRole === null || effectiveRole === null) return deny('no-role');
  if (!roleAtLeast(effectiveRole, needed)) return deny('role-insufficient', effectiveRole);
  return { allowed: true, effectiveRole, reason: 'allowed' };
}
