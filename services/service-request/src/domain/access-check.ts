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
