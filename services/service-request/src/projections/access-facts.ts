import type { DelegatedRole } from '@dap/contracts';
import { prepared, type SqlExecutor } from '@dap/eventsourcing';
import type { DelegationView } from '../domain/access-check.js';

export interface AccessFacts {
  delegation: DelegationView | undefined;
  assignedRole: DelegatedRole | undefined;
}

/** The partner's delegation from the client (the active one if any, else the latest) and the user's role. */
export async function readAccessFacts(
  db: SqlExecutor,
  partnerId: string,
  userId: string,
  clientId: string,
): Promise<AccessFacts> {
  // One round trip: the delegation (if any) and the user's role side by side.
  const [row] = await db.query<{
    status: DelegationView['status'] | null;
    granted_roles: DelegatedRole[] | null;
    expires_at: Date | string | null;
    role: DelegatedRole | null;
  }>(
    prepared(`SELECT d.status, d.granted_roles, d.expires_at,
            (SELECT role FROM "service-request".partner_roles WHERE partner_id = $1 AND user_id = $3) AS role
       FROM (SELECT 1) AS one LEFT JOIN LATERAL (
         SELECT status, granted_roles, expires_at FROM "service-request".delegations
          WHERE partner_id = $1 AND client_id = $2 ORDER BY (status = 'active') DESC, position DESC LIMIT 1) AS d ON true`),
    [partnerId, clientId, userId],
  );
  const delegation = row.status === null ? undefined : row;
  const assignedRole = row.role ?? undefined;
  return {
    delegation: delegation && {
      status: delegation.status!,
      grantedRoles: delegation.granted_roles!,
      expiresAt: delegation.expires_at === null ? null : new Date(delegation.expires_at).toISOString(),
    },
    assignedRole,
  };
}

/** The delegated role a partner admin assigned to the user, if any. */
export async function readAssignedRole(
  db: SqlExecutor,
  partnerId: string,
  userId: string,
): Promise<DelegatedRole | undefined> {
  const [role] = await db.query<{ role: DelegatedRole | null }>(
    prepared(`SELECT role FROM "service-request".partner_roles WHERE partner_id = $1 AND user_id = $2`),
    [partnerId, userId],
  );
  return role?.role ?? undefined;
}
