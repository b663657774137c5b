import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { HealthClassification, HealthStatus } from '@dap/contracts';
import { DomainError, type EventStore } from '@dap/eventsourcing';
import { ConsumerProgress } from '@dap/messaging';
import { actorOf, CLOCK, type Clock, type Principal } from '@dap/platform';
import { HEALTH_ISSUES_CONSUMER } from '../projections/health-issues.projection.js';
import { HealthQueries } from './health-queries.js';
import { HEALTH_SERVICE, HEALTH_STORE } from './health-store.js';
import { raiseHealthIssue } from './raise-health-issue.handler.js';
import { updateHealthIssue } from './update-health-issue.handler.js';

export interface RaiseInput {
  issueId?: string;
  clientIds: string[];
  service: string;
  feature?: string;
  classification: HealthClassification;
  title: string;
  impactDescription: string;
  status: HealthStatus;
  startDateTime: string;
}

/** Health issue commands from the platform's health publisher. */
@Injectable()
export class HealthCommands {
  constructor(
    @Inject(HEALTH_STORE) private readonly store: EventStore,
    @Inject(HealthQueries) private readonly queries: HealthQueries,
    @Inject(ConsumerProgress) private readonly progress: ConsumerProgress,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  raise(principal: Principal, input: RaiseInput, correlationId?: string) {
    const { issueId, feature, startDateTime, ...rest } = input;
    return raiseHealthIssue(
      this.store,
      {
        ...rest,
        issueId: issueId ?? randomUUID(),
        ...(feature !== undefined && { feature }),
        startDateTime: new Date(startDateTime).toISOString(),
      },
      this.clock.now(),
      { actor: actorOf(principal), correlationId },
    );
  }

  /**
   * Without `clientIds` the update goes to every client that has the issue: the issue table is
   * first brought up to the store's head, so no client raised before this request is missed.
   */
  async update(
    principal: Principal,
    issueId: string,
    input: { status: HealthStatus; message: string; clientIds?: string[] },
    correlationId?: string,
  ) {
    let clientIds = input.clientIds;
    if (!clientIds) {
      const head = await this.store.headPosition();
      if (!(await this.progress.waitFor([HEALTH_ISSUES_CONSUMER], HEALTH_SERVICE, head, 5000)))
        throw new DomainError('unavailable', 'the health issue table is catching up; retry shortly', {
          retryAfterSeconds: 1,
        });
      clientIds = await this.queries.clientsWithIssue(issueId);
    }
    return updateHealthIssue(
      this.store,
      { issueId, status: input.status, message: input.message, clientIds },
      this.clock.now(),
      { actor: actorOf(principal), correlationId },
    );
  }

  headPosition() {
    return this.store.headPosition();
  }
}
