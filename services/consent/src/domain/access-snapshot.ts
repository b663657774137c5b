import type { DelegatedRole } from '@dap/contracts';
import { capRole } from './roles.js';

/** An audit record as the snapshot needs it (a Delegation* or Role* event in store order). */
export interface AccessRecord {
  type: string;
  time: string;
  data: any;
}

export interface SnapshotEntry {
  partnerId: string;
  delegationId: string;
  userId: string;
  effectiveRole: DelegatedRole;
  /** Since when the user has held this access without interruption (ISO). */
  since: string;
}

interface DelegationAt {
  delegationId: string;
  active: boolean;
  grantedRoles: DelegatedRole[];
  grantedAt: string;
  expiresAt: string | null;
}

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * Who could administer `clientId` at the instant `at`, by replaying the records (in store order) up
 * to that instant: every partner user with a role, under a delegation of that client that was active
 * and not past its expiry then, with the role capped by the delegation.
 */
export function accessSnapshot(records: Iterable<AccessRecord>, clientId: string, at: Date): SnapshotEntry[] {
  const instant = at.getTime();
  const delegations = new Map<string, DelegationAt>(); // by partner
  const roles = new Map<string, Map<string, { role: DelegatedRole; since: string }>>(); // partner -> user -> role
  for (const record of records) {
    if (Date.parse(record.time) > instant) continue;
    const d = record.data;
    switch (record.type) {
      case 'DelegationGranted':
        if (d.clientId === clientId) {
          delegations.set(d.partnerId, {
            delegationId: d.delegationId,
            active: true,
            grantedRoles: d.grantedRoles,
            grantedAt: d.grantedAt ?? record.time,
            expiresAt: d.expiresAt,
          });
        }
        break;
      case 'DelegationRevoked':
      case 'DelegationExpired': {
        const current = delegations.get(d.partnerId);
        if (current && d.clientId === clientId && current.delegationId === d.delegationId)
          current.active = false;
        break;
      }
      case 'DelegationExtended': {
        const current = [...delegations.values()].find((x) => x.delegationId === d.delegationId);
        if (current) current.expiresAt = d.expiresAt;
        break;
      }
      case 'RoleAssigned': {
        const users = roles.get(d.partnerId) ?? new Map();
        roles.set(d.partnerId, users);
        users.set(d.userId, { role: d.role, since: record.time });
        break;
      }
      case 'RoleRevoked':
        roles.get(d.partnerId)?.delete(d.userId);
        break;
    }
  }
  const entries: SnapshotEntry[] = [];
  for (const [partnerId, delegation] of delegations) {
    if (!delegation.active) continue;
    if (delegation.expiresAt !== null && Date.parse(delegation.expiresAt) <= instant) continue;
    for (const [userId, { role, since }] of roles.get(partnerId) ?? []) {
      const effectiveRole = capRole(role, delegation.grantedRoles);
      if (effectiveRole === null) continue;
      entries.push({
        partnerId,
        delegationId: delegation.delegationId,
        userId,
        effectiveRole,
        since: later(since, delegation.grantedAt),
      });
    }
  }
  return entries.sort((a, b) => a.partnerId.localeCompare(b.partnerId) || a.userId.localeCompare(b.userId));
}
