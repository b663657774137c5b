import type { DelegatedRole } from '@dap/contracts';

/** Delegated actions (SPEC §4) and the lowest effective role that allows each; null: never supported. */
export const DELEGATED_ACTIONS: Record<string, DelegatedRole | null> = {
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

export type AccessReason =
  | 'allowed'
  | 'no-delegation'
  | 'delegation-revoked'
  | 'delegation-expired'
  | 'no-role'
  | 'role-insufficient'
  | 'not-supported';

/** What the service knows, from consent events, about one partner × client delegation. */
export interface DelegationView {
  status: 'active' | 'revoked' | 'expired';
  grantedRoles: DelegatedRole[];
  /** ISO time or null (no expiry). */
  expiresAt: string | null;
}

export interface AccessQuery {
  action: string;
  /** The partner's delegation from that client (the active one when there is one, else the latest). */
  delegation: DelegationView | undefined;
  /** The delegated role the partner admin assigned to the user, if any. */
  assignedRole: DelegatedRole | undefined;
  now: Date;
}

export interface AccessDecision {
  allowed: boolean;
  effectiveRole: DelegatedRole | null;
  reason: AccessReason;
}

const rank = (role: DelegatedRole) => (role === 'full' ? 2 : 1);

/** Effective role = the user's assigned role capped by the delegation's highest granted role. */
export function effectiveRole(
  assigned: DelegatedRole | undefined,
  granted: DelegatedRole[],
): DelegatedRole | null {
  if (!assigned || granted.length === 0) return null;
  const cap = granted.reduce<DelegatedRole>((best, r) => (rank(r) > rank(best) ? r : best), 'limited');
  return rank(assigned) <= rank(cap) ? assigned : cap;
}

/** May this partner user perform `action` on this client? Pure: everything it needs is passed in. */
export function checkAccess({ action, delegation, assignedRole, now }: AccessQuery): AccessDecision {
  const deny = (reason: AccessReason, role: DelegatedRole | null = null): AccessDecision => ({
    allowed: false,
    effectiveRole: role,
    reason,
  });
  const needed = DELEGATED_ACTIONS[action];
  if (needed === null || needed === undefined) return deny('not-supported');
  if (!delegation) return deny('no-delegation');
  if (delegation.status === 'revoked') return deny('delegation-revoked');
  // An expiry not yet recorded by consent still counts: access ends at expiresAt.
  if (
    delegation.status === 'expired' ||
    (delegation.expiresAt !== null && Date.parse(delegation.expiresAt) <= now.getTime())
  ) {
    return deny('delegation-expired');
  }
  if (!assignedRole) return deny('no-role');
  const role = effectiveRole(assignedRole, delegation.grantedRoles);
  if (!role || rank(role) < rank(needed)) return deny('role-insufficient', role);
  return { allowed: true, effectiveRole: role, reason: 'allowed' };
}
