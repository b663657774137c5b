import { DomainError } from '@dap/eventsourcing';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** An in-memory sliding-window limiter (per process): at most `limit` hits per key in any window. */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly rule: RateLimit) {}

  /** Records a hit at `now`, or returns the seconds to wait when the key is over its limit. */
  hit(key: string, now: number): number | null {
    const since = now - this.rule.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (recent.length >= this.rule.limit) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil((recent[0] + this.rule.windowMs - now) / 1000));
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(since);
    return null;
  }

  private prune(since: number): void {
    for (const [key, times] of this.hits) if (times[times.length - 1] <= since) this.hits.delete(key);
  }
}

/** Offer-link attempts: 10 a minute per caller, 60 a minute per offer. */
export class AcceptanceRateLimiter {
  private readonly perCaller: SlidingWindowLimiter;
  private readonly perOffer: SlidingWindowLimiter;

  constructor(
    perCaller: RateLimit = { limit: 10, windowMs: 60_000 },
    perOffer: RateLimit = { limit: 60, windowMs: 60_000 },
  ) {
    this.perCaller = new SlidingWindowLimiter(perCaller);
    this.perOffer = new SlidingWindowLimiter(perOffer);
  }

  check(offerId: string, caller: string, now: Date): void {
    const wait =
      this.perCaller.hit(`caller:${caller}`, now.getTime()) ??
      this.perOffer.hit(`offer:${offerId}`, now.getTime());
    if (wait !== null) {
      throw new DomainError('too-many-requests', 'too many attempts at this offer link, try again later', {
        retryAfterSeconds: wait,
      });
    }
  }
}
