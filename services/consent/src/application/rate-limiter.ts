import { DomainError, type SqlExecutor } from '@dap/eventsourcing';
import type { OfferLinkLimits } from '@dap/platform';
import { AttemptCounter, attemptKey, type WindowCount } from './attempt-counter.js';

const tooMany = (count: WindowCount, now: Date) =>
  new DomainError('too-many-requests', 'too many attempts at this offer link, try again later', {
    retryAfterSeconds: Math.max(1, Math.ceil((count.windowEnd.getTime() - now.getTime()) / 1000)),
  });

/**
 * Offer-link attempts. An offer link is meant for many clients, so only failed attempts (a wrong or
 * rotated code, or an unknown offer) count against the offer; every attempt counts against its
 * caller. Once an offer's failures reach the limit, every attempt at it answers 429 until the window
 * ends, a right code included, so that the answer tells a guesser nothing. The counts live in the
 * database, so the limits hold across replicas.
 */
export class AcceptanceRateLimiter {
  private readonly counter: AttemptCounter;
  private lastCleanup = 0;

  constructor(
    db: SqlExecutor,
    /** From OFFER_LINK_* (the platform's configuration; defaults in README, Configuration). */
    private readonly limits: OfferLinkLimits,
  ) {
    this.counter = new AttemptCounter(db);
  }

  /**
   * Counts the caller's attempt at an offer link: 429 once the caller is over its limit, or while the
   * offer's failures have used up the limit of their window, whatever the code (so that the answer
   * tells a guesser nothing). One statement.
   */
  async attempt(caller: { tid: string; sub: string }, offerId: string, now: Date): Promise<void> {
    await this.cleanUp(now);
    const { hit, peeked } = await this.counter.hitAndPeek(
      attemptKey('caller', caller.tid, caller.sub),
      this.limits.perCaller.windowMs,
      now,
      attemptKey('offer-failures', offerId),
    );
    if (hit.hits > this.limits.perCaller.limit) throw tooMany(hit, now);
    if (peeked && peeked.hits >= this.limits.failuresPerOffer.limit) throw tooMany(peeked, now);
  }

  /** Counts a failed attempt at the offer; 429 (instead of the caller's 404) once over the limit. */
  async failed(offerId: string, now: Date): Promise<void> {
    const { limit, windowMs } = this.limits.failuresPerOffer;
    const count = await this.counter.hit(attemptKey('offer-failures', offerId), windowMs, now);
    if (count.hits > limit) throw tooMany(count, now);
  }

  /** At most once per longest window and process: ended windows are deleted. */
  private async cleanUp(now: Date): Promise<void> {
    const every = Math.max(this.limits.perCaller.windowMs, this.limits.failuresPerOffer.windowMs);
    if (Math.abs(now.getTime() - this.lastCleanup) < every) return;
    this.lastCleanup = now.getTime();
    await this.counter.deleteEnded(now);
  }
}
