import type { DelegatedRole } from '@dap/contracts';

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
