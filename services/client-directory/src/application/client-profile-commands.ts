import { Inject, Injectable } from '@nestjs/common';
import {
  clientProfileStreamId,
  decideAccess,
  type ClientAddress,
  type DelegatedRole,
  type SubscriptionStatus,
} from '@dap/contracts';
import { forbidden, handleCommand, notFound, type EventStore } from '@dap/eventsourcing';
import { actorOf, CLOCK, type Clock, type Principal } from '@dap/platform';
import type { ClientProfileCommand } from '../domain/client-profile.commands.js';
import { clientProfileDecider } from '../domain/client-profile.decider.js';
import { CLIENT_DIRECTORY_STORE } from './client-directory.store.js';
import { ClientQueries } from './client-queries.js';

export interface UpdateProfileInput {
  name?: string;
  address?: ClientAddress;
  tags?: string[];
}

export interface SubscriptionInput {
  productId: string;
  name: string;
  quantity: number;
  status: SubscriptionStatus;
}

/** Commands on a client's profile; only for a client with an active delegation to the caller's partner. */
@Injectable()
export class ClientProfileCommands {
  constructor(
    @Inject(CLIENT_DIRECTORY_STORE) private readonly store: EventStore,
    @Inject(ClientQueries) private readonly queries: ClientQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async update(
    principal: Principal,
    clientId: string,
    input: UpdateProfileInput,
    expectedVersion?: number,
    correlationId?: string,
  ) {
    await this.visibleClient(principal, clientId);
    return this.run(
      principal,
      clientId,
      { type: 'UpdateProfile', partnerId: principal.tid, clientId, ...input, by: principal.sub },
      expectedVersion,
      correlationId,
    );
  }

  async putSubscription(
    principal: Principal,
    clientId: string,
    subscriptionId: string,
    input: SubscriptionInput,
    expectedVersion?: number,
    correlationId?: string,
  ) {
    await this.mayManageSubscriptions(principal, clientId);
    return this.run(
      principal,
      clientId,
      { type: 'PutSubscription', partnerId: principal.tid, clientId, subscriptionId, ...input },
      expectedVersion,
      correlationId,
    );
  }

  async removeSubscription(
    principal: Principal,
    clientId: string,
    subscriptionId: string,
    expectedVersion?: number,
    correlationId?: string,
  ) {
    await this.mayManageSubscriptions(principal, clientId);
    return this.run(
      principal,
      clientId,
      { type: 'RemoveSubscription', partnerId: principal.tid, clientId, subscriptionId },
      expectedVersion,
      correlationId,
    );
  }

  private async visibleClient(principal: Principal, clientId: string) {
    const row = await this.queries.row(principal.tid, clientId);
    if (!row) throw notFound('client');
    return row as { granted_roles: DelegatedRole[]; expires_at: Date | null };
  }

  /** `subscriptions.manage` is a delegated action (SPEC §4): decided by the shared rule, as consent decides it. */
  private async mayManageSubscriptions(principal: Principal, clientId: string) {
    const row = await this.visibleClient(principal, clientId);
    const decision = decideAccess({
      action: 'subscriptions.manage',
      delegation: {
        status: 'active',
        grantedRoles: row.granted_roles,
        expiresAt: row.expires_at?.toISOString() ?? null,
      },
      userRole: await this.queries.assignedRole(principal.tid, principal.sub),
      now: this.clock.now(),
    });
    if (!decision.allowed)
      throw forbidden(`managing subscriptions is not allowed: ${decision.reason}`, decision.reason);
  }

  private run(
    principal: Principal,
    clientId: string,
    command: ClientProfileCommand,
    expectedVersion?: number,
    correlationId?: string,
  ) {
    return handleCommand(
      this.store,
      clientProfileDecider,
      clientProfileStreamId(principal.tid, clientId),
      command,
      {
        now: this.clock.now(),
        expectedVersion,
        metadata: { actor: actorOf(principal), partnerId: principal.tid, correlationId },
      },
    );
  }
}
