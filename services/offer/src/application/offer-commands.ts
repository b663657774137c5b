import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DelegatedRole, OfferIncludes } from '@dap/contracts';
import { handleCommand, type EventStore } from '@dap/eventsourcing';
import { actorOf, CLOCK, type Clock, type Principal } from '@dap/platform';
import { offerDecider, type OfferCommand } from '../domain/offer.decider.js';
import { LinkCodes } from './link-codes.js';
import { OFFER_STORE } from './offer-store.js';

export interface CreateOfferInput {
  includes?: OfferIncludes;
  grantedRoles?: DelegatedRole[];
  delegationDuration?: string;
  autoExtend?: boolean;
  expiresAt?: string;
  message?: string;
}

export const streamOf = (offerId: string) => `offer-${offerId}`;

/** Offer commands: load the offer, decide, append with the expected version. */
@Injectable()
export class OfferCommands {
  constructor(
    @Inject(OFFER_STORE) private readonly store: EventStore,
    @Inject(LinkCodes) private readonly links: LinkCodes,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  create(principal: Principal, input: CreateOfferInput, correlationId?: string) {
    const offerId = randomUUID();
    return this.run(principal, offerId, correlationId, 'new', {
      type: 'CreateOffer',
      offerId,
      partnerId: principal.tid,
      includes: input.includes ?? {},
      grantedRoles: input.grantedRoles ?? ['full', 'limited'],
      delegationDuration: input.delegationDuration ?? null,
      autoExtend: input.autoExtend ?? false,
      expiresAt: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
      ...(input.message !== undefined && { message: input.message }),
      codeHashFor: this.links.hashFor(offerId),
    });
  }

  send(
    principal: Principal,
    offerId: string,
    recipients: string[],
    message: string | undefined,
    expectedVersion?: number,
    correlationId?: string,
  ) {
    return this.run(principal, offerId, correlationId, expectedVersion, {
      type: 'SendOffer',
      partnerId: principal.tid,
      recipients,
      sentBy: principal.sub,
      message,
    });
  }

  rotate(principal: Principal, offerId: string, expectedVersion?: number, correlationId?: string) {
    return this.run(principal, offerId, correlationId, expectedVersion, {
      type: 'RotateLink',
      partnerId: principal.tid,
      codeHashFor: this.links.hashFor(offerId),
    });
  }

  revoke(
    principal: Principal,
    offerId: string,
    reason: string | undefined,
    expectedVersion?: number,
    correlationId?: string,
  ) {
    // Revoking is safe to repeat: a concurrent change is retried rather than reported.
    return this.run(
      principal,
      offerId,
      correlationId,
      expectedVersion,
      { type: 'RevokeOffer', partnerId: principal.tid, reason },
      true,
    );
  }

  private run(
    principal: Principal,
    offerId: string,
    correlationId: string | undefined,
    /** From If-Match; 'new': the offer id was drawn just now. */
    expected: number | 'new' | undefined,
    command: OfferCommand,
    retryOnConflict = false,
  ) {
    return handleCommand(this.store, offerDecider, streamOf(offerId), command, {
      now: this.clock.now(),
      expectedVersion: expected === 'new' ? undefined : expected,
      newStream: expected === 'new',
      retryOnConflict,
      metadata: { actor: actorOf(principal), partnerId: principal.tid, correlationId },
    });
  }
}
