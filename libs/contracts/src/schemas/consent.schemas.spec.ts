import { describe, expect, it } from '@jest/globals';
import { CONSENT_EVENT_TYPES, validateEventData } from '../index.js';

const ids = { delegationId: '6f1c1f64-8f3a-4c55-9d0a-1f2e3d4c5b6a', partnerId: 'p1', clientId: 'tenant-a' };
const samples: Record<string, unknown> = {
  DelegationGranted: {
    ...ids,
    offerId: 'o1',
    grantedRoles: ['limited'],
    grantedBy: 'admin@tenant-a',
    grantedAt: '2026-11-21T10:00:00.000Z',
    expiresAt: null,
    delegationDuration: null,
    autoExtend: false,
    client: {
      name: 'Contoso',
      primaryDomain: 'contoso.cn',
      address: { line1: '1 Main', city: 'Beijing', postalCode: '100000', country: 'CN' },
    },
    includes: { trial: { productId: 'o365-e3' } },
  },
  DelegationRevoked: { ...ids, revokedBy: 'x', side: 'client', reason: 'done' },
  DelegationExpired: { ...ids, expiredAt: '2026-11-21T10:00:00.000Z' },
  DelegationExtended: {
    ...ids,
    previousExpiresAt: '2026-11-21T10:00:00.000Z',
    expiresAt: '2027-05-20T10:00:00.000Z',
  },
  RoleAssigned: { partnerId: 'p1', userId: 'a', role: 'full', previousRole: null, assignedBy: 'admin' },
  RoleRevoked: { partnerId: 'p1', userId: 'a', previousRole: 'full', revokedBy: 'admin' },
};

describe('consent event schemas', () => {
  it.each(CONSENT_EVENT_TYPES)('accepts a well-formed %s v1', (type) => {
    expect(validateEventData(type, 1, samples[type])).toEqual({ ok: true, errors: [] });
  });

  it('rejects a bad side, role or country', () => {
    expect(validateEventData('DelegationRevoked', 1, { ...ids, revokedBy: 'x', side: 'both' }).ok).toBe(
      false,
    );
    expect(
      validateEventData('RoleAssigned', 1, {
        partnerId: 'p1',
        userId: 'a',
        role: 'owner',
        previousRole: null,
        assignedBy: 'x',
      }).ok,
    ).toBe(false);
    const granted = samples.DelegationGranted as any;
    expect(
      validateEventData('DelegationGranted', 1, {
        ...granted,
        client: { ...granted.client, address: { ...granted.client.address, country: 'China' } },
      }).ok,
    ).toBe(false);
  });
});
