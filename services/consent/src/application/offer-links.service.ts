import {
  ConcurrencyError,
  handleCommand,
  notFound,
  type EventStore,
  type SqlExecutor,
} from '@dap/eventsourcing';
import type { ClientDescription } from '@dap/contracts';
import { delegationDecider } from '../domain/delegation.decider.js';
import { assertOfferAcceptable } from '../domain/offer-terms.js';
import { currentDelegation } from './delegation-loader.js';
import { delegationStream } from './delegation-streams.js';
import { viewOfState, type DelegationView } from './delegation-view.js';
import { linkCodeMatches } from './link-code.js';
import { findOffer, type StoredOffer } from './offer-terms.repository.js';
import { actorOf, type Caller, type Clock } from './ports.js';
import type { AcceptanceRateLimiter } from './rate-limiter.js';

export interface AcceptResult {
  delegation: DelegationView;
  created: boolean;
  globalPosition: number | null;
}

/** The client side of an offer link: see what is offered, and accept it. */
export class OfferLinks {
  constructor(
    private readonly store: EventStore,
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
    private readonly limiter: AcceptanceRateLimiter,
  ) {}

  /**
   * A wrong or rotated code is 404 like an unknown offer, and counts as a failure against the offer;
   * a revoked or expired offer is 410. Every attempt counts against the caller.
   */
  private async open(
    offerId: string,
    code: string | undefined,
    caller: Caller,
    now: Date,
  ): Promise<StoredOffer> {
    // The offer is read beside the count (a refused attempt only discards it).
    const [offer] = await Promise.all([
      findOffer(this.db, offerId),
      this.limiter.attempt(caller, offerId, now),
    ]);
    if (!offer || !linkCodeMatches(code, offer.codeHash)) {
      await this.limiter.failed(offerId, now);
      throw notFound('offer link');
    }
    assertOfferAcceptable(offer, now);
    return offer;
  }

  async view(offerId: string, code: string | undefined, caller: Caller) {
    const offer = await this.open(offerId, code, caller, this.clock.now());
    return {
      offerId: offer.offerId,
      partner: { id: offer.partnerId },
      grantedRoles: offer.grantedRoles,
      delegationDuration: offer.delegationDuration,
      autoExtend: offer.autoExtend,
      expiresAt: offer.expiresAt,
      includes: offer.includes,
      ...(offer.message !== null && { message: offer.message }),
    };
  }

  async accept(
    offerId: string,
    code: string | undefined,
    client: ClientDescription,
    caller: Caller,
  ): Promise<AcceptResult> {
    const now = this.clock.now();
    const offer = await this.open(offerId, code, caller, now);
    for (let attempt = 1; ; attempt++) {
      const { current, nextId } = await currentDelegation(this.store, offer.partnerId, caller.tid);
      if (current?.state.status === 'active') {
        return {
          delegation: viewOfState(current.state, current.version),
          created: false,
          globalPosition: current.lastPosition,
        };
      }
      try {
        const result = await handleCommand(
          this.store,
          delegationDecider,
          delegationStream(nextId),
          {
            type: 'GrantDelegation',
            delegationId: nextId,
            clientId: caller.tid,
            grantedBy: caller.sub,
            client,
            offer,
          },
          // currentDelegation has just read nextId's stream and found it empty.
          { now, metadata: { actor: actorOf(caller), partnerId: offer.partnerId }, newStream: true },
        );
        return {
          delegation: viewOfState(result.state, result.streamVersion),
          created: true,
          globalPosition: result.globalPosition,
        };
      } catch (error) {
        // Another acceptance created this generation first: read again and return its delegation.
        if (!(error instanceof ConcurrencyError) || attempt >= 3) throw error;
      }
    }
  }
}
