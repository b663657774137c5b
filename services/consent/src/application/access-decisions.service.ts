import type { EventStore } from '@dap/eventsourcing';
import { decideAccess, type AccessDecision } from '../domain/access-decision.js';
import { currentDelegation } from './delegation-loader.js';
import type { Clock } from './ports.js';
import type { PartnerUsers } from './partner-users.service.js';

/** SPEC §4 access decisions, for a user of the caller's partner on a client, from the event streams. */
export class AccessDecisions {
  constructor(
    private readonly store: EventStore,
    private readonly users: PartnerUsers,
    private readonly clock: Clock,
  ) {}

  async decide(partnerId: string, userId: string, clientId: string, action: string): Promise<AccessDecision> {
    const [{ current }, userRole] = await Promise.all([
      currentDelegation(this.store, partnerId, clientId),
      this.users.roleOf(partnerId, userId),
    ]);
    const state = current?.state;
    const delegation =
      state && state.status !== 'none'
        ? { status: state.status, grantedRoles: state.grantedRoles, expiresAt: state.expiresAt }
        : null;
    return decideAccess({ action, delegation, userRole, now: this.clock.now() });
  }
}
