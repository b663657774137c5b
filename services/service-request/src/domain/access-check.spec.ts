import { describe, expect, it } from '@jest/globals';
import { DELEGATED_ACTIONS, type DelegatedRole } from '@dap/contracts';
import { checkAccess, effectiveRole, grantsAllowing, type DelegationView } from './access-check.js';

const now = new Date('2026-11-21T10:00:00.000Z');
const active: DelegationView = { status: 'active', grantedRoles: ['full', 'limited'], expiresAt: null };

describe('service request access check', () => {
  it('allows a limited user to create a service request under an active delegation', () => {
    expect(
      checkAccess({ action: 'serviceRequests.create', delegation: active, assignedRole: 'limited', now }),
    ).toEqual({
      allowed: true,
      effectiveRole: 'limited',
      reason: 'allowed',
    });
  });

  it('caps the assigned role by the delegation', () => {
    expect(effectiveRole('full', ['limited'])).toBe('limited');
    expect(effectiveRole('limited', ['full'])).toBe('limited');
    expect(effectiveRole('full', ['full', 'limited'])).toBe('full');
    expect(effectiveRole(undefined, ['full'])).toBeNull();
  });

  it.each([
    ['no-delegation', undefined, 'full'],
    ['delegation-revoked', { ...active, status: 'revoked' }, 'full'],
    ['delegation-expired', { ...active, status: 'expired' }, 'full'],
    ['delegation-expired', { ...active, expiresAt: '2026-11-21T09:59:59.000Z' }, 'full'],
    ['no-role', active, undefined],
  ] as const)('refuses with %s', (reason, delegation, assignedRole) => {
    const decision = checkAccess({
      action: 'serviceRequests.create',
      delegation: delegation as DelegationView | undefined,
      assignedRole,
      now,
    });
    expect(decision).toMatchObject({ allowed: false, reason });
  });

  it('allows until the expiry instant', () => {
    const delegation = { ...active, expiresAt: '2026-11-21T10:00:01.000Z' };
    expect(
      checkAccess({ action: 'serviceRequests.create', delegation, assignedRole: 'full', now }).allowed,
    ).toBe(true);
  });

  it('refuses a full-only action to a role capped at limited', () => {
    const delegation = { ...active, grantedRoles: ['limited' as const] };
    expect(checkAccess({ action: 'users.create', delegation, assignedRole: 'full', now })).toEqual({
      allowed: false,
      effectiveRole: 'limited',
      reason: 'role-insufficient',
    });
  });

  it('never supports MDM, and knows no unknown action', () => {
    expect(checkAccess({ action: 'mdm.manage', delegation: active, assignedRole: 'full', now }).reason).toBe(
      'not-supported',
    );
    expect(checkAccess({ action: 'nope', delegation: active, assignedRole: 'full', now }).allowed).toBe(
      false,
    );
  });

  it('derives the grants a SQL filter needs from the rule: a usable delegation allows exactly when it grants one of them', () => {
    const grantSets: DelegatedRole[][] = [[], ['limited'], ['full'], ['full', 'limited']];
    for (const action of [...DELEGATED_ACTIONS, 'unknown.action'])
      for (const assignedRole of [undefined, 'limited', 'full'] as const)
        for (const grantedRoles of grantSets) {
          const delegation: DelegationView = { status: 'active', grantedRoles, expiresAt: null };
          const byRule = checkAccess({ action, delegation, assignedRole, now }).allowed;
          const grants = grantsAllowing(action, assignedRole);
          expect([action, assignedRole, grantedRoles, grantedRoles.some((g) => grants.includes(g))]).toEqual([
            action,
            assignedRole,
            grantedRoles,
            byRule,
          ]);
        }
    expect(grantsAllowing('serviceRequests.read', 'limited')).toEqual(['full', 'limited']);
    expect(grantsAllowing('users.create', 'full')).toEqual(['full']);
    expect(grantsAllowing('serviceRequests.read', undefined)).toEqual([]);
  });
});
