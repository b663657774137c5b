import type { DelegatedRole, RoleAssigned, RoleRevoked } from '@dap/contracts';
import type { Decider } from '@dap/eventsourcing';

export type PartnerUserRoleEvent =
  | { type: 'RoleAssigned'; data: RoleAssigned }
  | { type: 'RoleRevoked'; data: RoleRevoked };

export interface SetDelegatedRole {
  type: 'SetDelegatedRole';
  partnerId: string;
  userId: string;
  role: DelegatedRole | 'none';
  by: string;
}

export interface PartnerUserRoleState {
  role: DelegatedRole | null;
  /** When the current role was assigned (ISO), from the event time the handler passes in. */
  since?: string;
}

/** One stream per (partner, user): `partner-user-<partnerId>:<userId>`. Assigning the same role again records nothing. */
export const partnerUserRoleDecider: Decider<SetDelegatedRole, PartnerUserRoleEvent, PartnerUserRoleState> = {
  initialState: () => ({ role: null }),
  decide(command, state) {
    const { partnerId, userId, by } = command;
    if (command.role === 'none') {
      if (state.role === null) return [];
      return [{ type: 'RoleRevoked', data: { partnerId, userId, previousRole: state.role, revokedBy: by } }];
    }
    if (command.role === state.role) return [];
    return [
      {
        type: 'RoleAssigned',
        data: { partnerId, userId, role: command.role, previousRole: state.role, assignedBy: by },
      },
    ];
  },
  evolve(state, event) {
    switch (event.type) {
      case 'RoleAssigned':
        return { role: event.data.role };
      case 'RoleRevoked':
        return { role: null };
      default:
        return state;
    }
  },
};
