import { describe, expect, it } from '@jest/globals';
import { accessSnapshot, type AccessRecord } from './access-snapshot.js';

const t = (h: number) => new Date(Date.UTC(2026, 10, 21, h)).toISOString();
const records: AccessRecord[] = [
  {
    type: 'RoleAssigned',
    time: t(1),
    data: { partnerId: 'p1', userId: 'a', role: 'full', previousRole: null },
  },
  {
    type: 'DelegationGranted',
    time: t(2),
    data: {
      delegationId: 'd1',
      partnerId: 'p1',
      clientId: 'c1',
      grantedRoles: ['limited'],
      grantedAt: t(2),
      expiresAt: t(20),
    },
  },
  {
    type: 'RoleAssigned',
    time: t(3),
    data: { partnerId: 'p1', userId: 'b', role: 'limited', previousRole: null },
  },
  {
    type: 'DelegationGranted',
    time: t(4),
    data: {
      delegationId: 'd2',
      partnerId: 'p2',
      clientId: 'c2',
      grantedRoles: ['full'],
      grantedAt: t(4),
      expiresAt: null,
    },
  },
  { type: 'RoleRevoked', time: t(5), data: { partnerId: 'p1', userId: 'b', previousRole: 'limited' } },
  { type: 'DelegationRevoked', time: t(6), data: { delegationId: 'd1', partnerId: 'p1', clientId: 'c1' } },
];

describe('access snapshot by replay', () => {
  it('lists nobody before the delegation', () => {
    expect(accessSnapshot(records, 'c1', new Date(t(1)))).toEqual([]);
  });

  it('lists users with roles under the active delegation, capped, since the later of role and grant', () => {
    expect(accessSnapshot(records, 'c1', new Date(t(3)))).toEqual([
      { partnerId: 'p1', delegationId: 'd1', userId: 'a', effectiveRole: 'limited', since: t(2) },
      { partnerId: 'p1', delegationId: 'd1', userId: 'b', effectiveRole: 'limited', since: t(3) },
    ]);
  });

  it('drops a user whose role was revoked, and everyone after the revocation', () => {
    expect(accessSnapshot(records, 'c1', new Date(t(5))).map((e) => e.userId)).toEqual(['a']);
    expect(accessSnapshot(records, 'c1', new Date(t(6)))).toEqual([]);
  });

  it('treats a delegation past its expiry instant as gone', () => {
    const kept = records.slice(0, 3);
    expect(accessSnapshot(kept, 'c1', new Date(t(20)))).toEqual([]);
    expect(accessSnapshot(kept, 'c1', new Date(Date.parse(t(20)) - 1))).toHaveLength(2);
  });
});
