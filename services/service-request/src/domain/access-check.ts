import {
  capRole,
  decideAccess,
  type AccessDecision,
  type DelegatedRole,
  type DelegationView,
} from '@dap/contracts';

export type { AccessDecision, AccessReason, DelegationView } from '@dap/contracts';

export interface AccessQuery {
  action: string;
  /** The partner's delegation from that client (the active one when there is one, else the latest). */
  delegation: DelegationView | undefined;
  /** The delegated role the partner admin assigned to the user, if any. */
  assignedRole: DelegatedRole | undefined;
  now: Date;
}

/** Effective role = the user's assigned role capped by the delegation's highest granted role. */
export const effectiveRole = (
  assigned: DelegatedRole | undefined,
  granted: DelegatedRole[],
): DelegatedRole | null => capRole(assigned ?? null, granted);

/**
 * May this partner user perform `action` on this client? SPEC §4 through the shared rule in
 * `@dap/contracts` (the one consent's /access-decisions answers with), fed with what this service
 * learned from consent events. Pure: everything it needs is passed in.
 */
export const checkAccess = ({ action, delegation, assignedRole, now }: AccessQuery): AccessDecision =>
  decideAccess({ action, delegation: delegation ?? null, userRole: assignedRole ?? null, now });

const ROLES: readonly DelegatedRole[] = ['full', 'limited'];

/**
 * The granted roles under which a usable (active, unexpired) delegation lets this user perform
 * `action`: a delegation allows it when it grants any of them. Derived from the shared rule itself
 * (the effective role is capped by the highest granted role, so one sufficient grant is enough),
 * for a query that filters many clients at once in SQL. Empty when the user's own role never
 * allows it.
 */
export function grantsAllowing(action: string, assignedRole: DelegatedRole | undefined): DelegatedRole[] {
  const now = new Date(0);
  return ROLES.filter(
    (granted) =>
      checkAccess({
        action,
        delegation: { status: 'active', grantedRoles: [granted], expiresAt: null },
        assignedRole,
        now,
      }).allowed,
  );
}
