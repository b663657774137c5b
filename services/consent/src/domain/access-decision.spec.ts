import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@dap/eventsourcing';
import { DELEGATED_ACTIONS, decideAccess, type DelegationView } from './access-decision.js';

const now = new Date('2026-11-21T10:00:00.000Z');
const active = (
  grantedRoles: DelegationView['grantedRoles'] = ['full', 'limited'],
  expiresAt: string | null = null,
): DelegationView => ({
  status: 'active',
  grantedRoles,
  expiresAt,
});
const FULL_ONLY = [
  'users.create',
  'users.delete',
  'domains.add',
  'subscriptions.manage',
  'exchange.manage',
  'sharepoint.manage',
  'teams.manage',
];
const BOTH = ['users.read', 'users.resetPassword', 'serviceRequests.create', 'serviceRequests.read'];

describe('decideAccess (SPEC §4)', () => {
  it.each(BOTH)('allows %s to full and limited', (action) => {
    expect(decideAccess({ action, delegation: active(), userRole: 'full', now })).toEqual({
      allowed: true,
      effectiveRole: 'full',
      reason: 'allowed',
    });
    expect(decideAccess({ action, delegation: active(), userRole: 'limited', now })).toEqual({
      allowed: true,
      effectiveRole: 'limited',
      reason: 'allowed',
    });
  });

  it.each(FULL_ONLY)('allows %s to full only', (action) => {
    expect(decideAccess({ action, delegation: active(), userRole: 'full', now }).allowed).toBe(true);
    expect(decideAccess({ action, delegation: active(), userRole: 'limited', now })).toEqual({
      allowed: false,
      effectiveRole: 'limited',
      reason: 'role-insufficient',
    });
  });

  it('never supports mdm.manage, whatever the role or delegation', () => {
    expect(decideAccess({ action: 'mdm.manage', delegation: active(), userRole: 'full', now })).toEqual({
      allowed: false,
      effectiveRole: 'full',
      reason: 'not-supported',
    });
    expect(decideAccess({ action: 'mdm.manage', delegation: null, userRole: null, now }).reason).toBe(
      'not-supported',
    );
  });

  it('covers every action of the table', () => {
    expect(new Set(DELEGATED_ACTIONS)).toEqual(new Set([...BOTH, ...FULL_ONLY, 'mdm.manage']));
  });

  it('caps the user role by the delegation: full user under a limited-only delegation', () => {
    expect(
      decideAccess({ action: 'users.create', delegation: active(['limited']), userRole: 'full', now }),
    ).toEqual({
      allowed: false,
      effectiveRole: 'limited',
      reason: 'role-insufficient',
    });
    expect(
      decideAccess({ action: 'users.read', delegation: active(['limited']), userRole: 'full', now })
        .effectiveRole,
    ).toBe('limited');
  });

  it('gives no-delegation when the client never granted one, whatever the role', () => {
    expect(decideAccess({ action: 'users.read', delegation: null, userRole: 'full', now })).toEqual({
      allowed: false,
      effectiveRole: null,
      reason: 'no-delegation',
    });
  });

  it('gives delegation-revoked after a revocation', () => {
    expect(
      decideAccess({
        action: 'users.read',
        delegation: { ...active(), status: 'revoked' },
        userRole: 'full',
        now,
      }).reason,
    ).toBe('delegation-revoked');
  });

  it('gives delegation-expired once expired, and at the expiry instant even before the scheduler runs', () => {
    expect(
      decideAccess({
        action: 'users.read',
        delegation: { ...active(), status: 'expired' },
        userRole: 'full',
        now,
      }).reason,
    ).toBe('delegation-expired');
    const atBoundary = active(['limited'], now.toISOString());
    expect(
      decideAccess({ action: 'users.read', delegation: atBoundary, userRole: 'limited', now }).reason,
    ).toBe('delegation-expired');
    const justBefore = new Date(now.getTime() - 1);
    expect(
      decideAccess({ action: 'users.read', delegation: atBoundary, userRole: 'limited', now: justBefore })
        .allowed,
    ).toBe(true);
  });

  it('gives no-role to a user without a delegated role', () => {
    expect(decideAccess({ action: 'users.read', delegation: active(), userRole: null, now })).toEqual({
      allowed: false,
      effectiveRole: null,
      reason: 'no-role',
    });
  });

  it('rejects an unknown action as invalid', () => {
    expect(() =>
      decideAccess({ action: 'root.everything', delegation: active(), userRole: 'full', now }),
    ).toThrow(DomainError);
  });
});
