import { describe, expect, it } from '@jest/globals';
import { fold } from '@dap/eventsourcing';
import {
  partnerUserRoleDecider,
  type PartnerUserRoleEvent,
  type SetDelegatedRole,
} from './partner-user-role.decider.js';

const now = new Date('2026-11-21T10:00:00.000Z');
const set = (role: SetDelegatedRole['role']): SetDelegatedRole => ({
  type: 'SetDelegatedRole',
  partnerId: 'p1',
  userId: 'a@p1',
  role,
  by: 'admin@p1',
});
const given = (events: PartnerUserRoleEvent[]) => ({
  when: (command: SetDelegatedRole) =>
    partnerUserRoleDecider.decide(command, fold(partnerUserRoleDecider, events), now),
});
const assigned = (
  role: 'full' | 'limited',
  previousRole: 'full' | 'limited' | null = null,
): PartnerUserRoleEvent => ({
  type: 'RoleAssigned',
  data: { partnerId: 'p1', userId: 'a@p1', role, previousRole, assignedBy: 'admin@p1' },
});

describe('partner user delegated role decider', () => {
  it('assigns a first role with no previous role', () => {
    expect(given([]).when(set('full'))).toEqual([assigned('full')]);
  });

  it('records nothing when the same role is assigned again', () => {
    expect(given([assigned('limited')]).when(set('limited'))).toEqual([]);
  });

  it('changes a role and names the previous one', () => {
    expect(given([assigned('full')]).when(set('limited'))).toEqual([assigned('limited', 'full')]);
  });

  it('revokes a role with none', () => {
    expect(given([assigned('full')]).when(set('none'))).toEqual([
      {
        type: 'RoleRevoked',
        data: { partnerId: 'p1', userId: 'a@p1', previousRole: 'full', revokedBy: 'admin@p1' },
      },
    ]);
  });

  it('records nothing for none when the user holds no role', () => {
    expect(given([]).when(set('none'))).toEqual([]);
    const revoked: PartnerUserRoleEvent = {
      type: 'RoleRevoked',
      data: { partnerId: 'p1', userId: 'a@p1', previousRole: 'full', revokedBy: 'x' },
    };
    expect(given([assigned('full'), revoked]).when(set('none'))).toEqual([]);
  });

  it('assigns again after a revocation, from no role', () => {
    const revoked: PartnerUserRoleEvent = {
      type: 'RoleRevoked',
      data: { partnerId: 'p1', userId: 'a@p1', previousRole: 'full', revokedBy: 'x' },
    };
    expect(given([assigned('full'), revoked]).when(set('limited'))).toEqual([assigned('limited')]);
  });
});
