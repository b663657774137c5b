import type { Actor } from '@dap/contracts';

export const ROLES = [
  'partner.admin',
  'partner.agent',
  'client.admin',
  'platform.health-publisher',
  'platform.auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller: `sub` (user id), `tid` (its organization) and the roles that count. */
export interface Principal {
  sub: string;
  tid: string;
  roles: Role[];
}

export const isPartner = (p: Principal) =>
  p.roles.includes('partner.admin') || p.roles.includes('partner.agent');
export const isPlatform = (p: Principal, role: Role) => p.roles.includes(role);

/** Keeps known roles, and platform roles only when `tid` is the platform's id (SPEC §4). */
export function effectiveRoles(claimed: unknown, tid: string, platformTenantId: string): Role[] {
  const list = Array.isArray(claimed) ? claimed : typeof claimed === 'string' ? claimed.split(' ') : [];
  return list.filter(
    (r): r is Role =>
      (ROLES as readonly string[]).includes(r) && (!r.startsWith('platform.') || tid === platformTenantId),
  );
}

export const actorOf = (p: Principal): Actor => ({ id: p.sub, tenantId: p.tid, roles: [...p.roles] });
